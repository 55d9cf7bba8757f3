// Package library holds the course that the site serves: the lessons and
// quizzes parsed from one folder, swapped as a whole when the folder
// changes, so that a request never sees half of an edit.
package library

import (
	"errors"
	"io/fs"
	"sync"
	"sync/atomic"

	"learn/lessons"
	"learn/quiz"
	"learn/search"
)

// Content is everything the site serves from a course folder.
type Content struct {
	Course  *lessons.Course
	Quizzes []*quiz.Quiz
	Search  *search.Index // built from Course

	// FS is the course folder itself, for the images that lessons show.
	FS fs.FS
}

// Load parses the lessons and quizzes of fsys, drafts included. It reports
// the problems of both at once, so an author sees every broken file in one
// pass.
func Load(fsys fs.FS) (*Content, error) {
	return load(fsys, true)
}

// NewLoader returns a Loader that leaves draft lessons out of the course,
// its outline and its search index, unless drafts is set.
func NewLoader(drafts bool) Loader {
	return func(fsys fs.FS) (*Content, error) {
		return load(fsys, drafts)
	}
}

func load(fsys fs.FS, drafts bool) (*Content, error) {
	course, lessonsErr := lessons.Load(fsys)
	quizzes, quizErr := quiz.Load(fsys)
	if err := errors.Join(lessonsErr, quizErr); err != nil {
		return nil, err
	}
	if !drafts {
		course = course.Published()
	}
	return &Content{Course: course, Quizzes: quizzes, Search: search.New(course), FS: fsys}, nil
}

// Snapshot is the content being served and the state of the last reload.
type Snapshot struct {
	*Content

	// Version starts at 1 and grows by one with each successful reload.
	Version int

	// Err is the error of the last reload when it failed, in which case
	// Content is still the last version that loaded. It is nil once a
	// reload succeeds again.
	Err error
}

// Library serves the current snapshot and tells subscribers when it
// changes. Its methods are safe for concurrent use.
type Library struct {
	current atomic.Pointer[Snapshot]
	live    bool

	mu          sync.Mutex
	subscribers map[chan struct{}]struct{}
}

// Static returns a Library that always serves content, as the embedded
// course does.
func Static(content *Content) *Library {
	l := &Library{subscribers: make(map[chan struct{}]struct{})}
	l.current.Store(&Snapshot{Content: content, Version: 1})
	return l
}

// Current returns the snapshot to serve now.
func (l *Library) Current() *Snapshot {
	return l.current.Load()
}

// Live reports whether the library follows a folder on disk, so pages may
// refresh themselves when it changes.
func (l *Library) Live() bool {
	return l.live
}

// Subscribe returns a channel that receives a value after each change of
// the snapshot, and a function that ends the subscription. Changes that
// arrive while the subscriber is busy are merged into one notification.
func (l *Library) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	l.mu.Lock()
	l.subscribers[ch] = struct{}{}
	l.mu.Unlock()

	cancel := func() {
		l.mu.Lock()
		delete(l.subscribers, ch)
		l.mu.Unlock()
	}
	return ch, cancel
}

// publish replaces the snapshot and notifies every subscriber.
func (l *Library) publish(snapshot *Snapshot) {
	l.current.Store(snapshot)

	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subscribers {
		select {
		case ch <- struct{}{}:
		default:
			// A notification is already pending for this subscriber.
		}
	}
}
