package lessons

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"learn/markdown"
)

// field is one front matter key and the variable its value decodes into.
type field struct {
	key  string
	want string // the expected value, as error messages describe it
	dest any
}

// yamlLinePrefix matches the "line N: " that yaml puts in its messages.
var yamlLinePrefix = regexp.MustCompile(`^line \d+: `)

// position is a 1-based line and column in a content file.
type position struct{ line, col int }

// decodeFrontMatter decodes meta, the YAML between the --- lines of the
// file at path, into fields. It returns the position of each key's value,
// and one error per problem at the line of the offending key or value. An
// unknown or repeated key is an error, so that a misspelt key is reported
// and not ignored.
func decodeFrontMatter(path string, meta []byte, fields []field) (map[string]position, []error) {
	// The leading newline stands for the opening --- line, so the line
	// numbers of the YAML nodes match the lines of the file.
	var doc yaml.Node
	if err := yaml.Unmarshal(append([]byte("\n"), meta...), &doc); err != nil {
		// The position goes in front of the message, so the "line N: "
		// that yaml puts in its text would only repeat it.
		message := yamlLinePrefix.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
		hint := "write one \"key: value\" per line"
		switch {
		case strings.Contains(message, "mapping values are not allowed"):
			hint = "quote a value that contains a colon, such as summary: \"Tokens: a primer\""
		case strings.Contains(message, "end of stream"), strings.Contains(message, "did not find expected"):
			hint = "close the quote or bracket that this value opens"
		}
		return nil, []error{markdown.Errorf(path, max(markdown.YAMLErrorLine(err), 1), 1, "%w: %s; %s", markdown.ErrFrontMatter, message, hint)}
	}
	if len(doc.Content) == 0 {
		return map[string]position{}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, []error{markdown.Errorf(path, root.Line, root.Column, "%w: not a list of keys; write one \"key: value\" per line, such as \"title: Sessions\"", markdown.ErrFrontMatter)}
	}

	positions := make(map[string]position)
	var errs []error
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		f, ok := findField(fields, key.Value)
		switch {
		case !ok:
			errs = append(errs, markdown.Errorf(path, key.Line, key.Column, "%w: unknown key %q; the keys are %s", markdown.ErrFrontMatter, key.Value, keyList(fields)))
			continue
		case positions[key.Value] != position{}:
			errs = append(errs, markdown.Errorf(path, key.Line, key.Column, "%w: duplicate key %q; remove one of the two lines", markdown.ErrFrontMatter, key.Value))
			continue
		}
		positions[key.Value] = position{value.Line, value.Column}

		if err := value.Decode(f.dest); err != nil {
			errs = append(errs, markdown.Errorf(path, value.Line, value.Column, "%w: invalid %s %s; write %s", markdown.ErrFrontMatter, key.Value, describe(value), f.want))
		}
	}
	return positions, errs
}

func findField(fields []field, key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// keyList returns "a (required), b and c" for the fields, the first of
// which is required.
func keyList(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.key
	}
	names[0] += " (required)"
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// describe returns a YAML value as an error message quotes it.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.SequenceNode:
		return "(a list)"
	case yaml.MappingNode:
		return "(a set of keys)"
	}
	return "(an unsupported value)"
}
