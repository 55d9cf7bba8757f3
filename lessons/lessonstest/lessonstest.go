// Package lessonstest builds courses from file contents for the tests of
// the packages that use lessons.
package lessonstest

import (
	"testing"
	"testing/fstest"

	"learn/lessons"
)

// FS returns a course file system with the given file names and contents.
func FS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// Load loads the course in files and fails the test on error.
func Load(tb testing.TB, files map[string]string) *lessons.Course {
	tb.Helper()
	course, err := lessons.Load(FS(files))
	if err != nil {
		tb.Fatalf("load lessons: %v", err)
	}
	return course
}
