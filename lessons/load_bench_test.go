package lessons_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"learn/lessons"
)

// generatedCourse returns n lessons of about 2 KB each: prose, a fenced
// code block and a table, the mix a real lesson has.
func generatedCourse(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Generated lesson %d\nsummary: A lesson made for the load benchmark.\norder: %d\n---\n\n", i, i)
		b.WriteString("## Why tokens expire\n\n")
		b.WriteString(strings.Repeat("A signed token carries its own expiry, so the server can refuse it without a lookup. ", 10))
		b.WriteString("\n\n```go\nfunc verify(token string) error {\n\t_, err := jwt.Parse(token, keyFunc,\n\t\tjwt.WithValidMethods([]string{\"HS256\"}))\n\treturn err\n}\n```\n\n")
		b.WriteString("## Compared\n\n| strategy | state | revocation |\n| --- | --- | --- |\n| JWT | client | hard |\n| session | server | easy |\n\n")
		b.WriteString(strings.Repeat("Sessions keep the data on the server and give the browser only an ID in a cookie. ", 10))
		b.WriteString("\n")
		fsys[fmt.Sprintf("lessons/lesson-%04d.md", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// BenchmarkLoad1000Lessons measures parsing and rendering a course of
// 1,000 generated lessons of about 2 KB each.
func BenchmarkLoad1000Lessons(b *testing.B) {
	fsys := generatedCourse(1000)
	size := 0
	for _, f := range fsys {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()

	for b.Loop() {
		course, err := lessons.Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(course.Lessons()); n != 1000 {
			b.Fatalf("loaded %d lessons, want 1000", n)
		}
	}
}
