package playground

// CachedKeySets returns how many learners' key sets the cache holds.
func (s *Server) CachedKeySets() int {
	return s.keyCache.len()
}
