// Package content embeds the course: lessons under lessons/ and quizzes
// under quizzes/, each a Markdown file with YAML front matter.
package content

import "embed"

// FS contains the embedded course. The binary serves it unless a flag
// points at a folder on disk.
//
//go:embed lessons quizzes
var FS embed.FS
