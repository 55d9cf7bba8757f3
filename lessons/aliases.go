package lessons

import (
	"slices"
	"strings"

	"learn/markdown"
)

// checkAliases returns the aliases of the lesson at path whose slug is
// slug, and one error for each alias that is not a valid slug, repeats
// the lesson's own slug or repeats an earlier alias in the list. Clashes
// with other lessons are found later, by dropClashingAliases.
func checkAliases(path, slug string, aliases []markdown.Alias) ([]markdown.Alias, []error) {
	var valid []markdown.Alias
	var errs []error
	for _, alias := range aliases {
		switch {
		case !ValidSlug(alias.Name):
			errs = append(errs, markdown.Errorf(path, alias.Line, alias.Col, "%w: invalid alias %q; use the old slug, with only lowercase letters, digits and hyphens, starting with a letter or digit", markdown.ErrFrontMatter, alias.Name))
		case alias.Name == slug:
			errs = append(errs, markdown.Errorf(path, alias.Line, alias.Col, "%w: alias %q is the lesson's own slug; remove it from aliases", markdown.ErrFrontMatter, alias.Name))
		case slices.ContainsFunc(valid, func(a markdown.Alias) bool { return a.Name == alias.Name }):
			errs = append(errs, markdown.Errorf(path, alias.Line, alias.Col, "%w: duplicate alias %q; remove one of the two", markdown.ErrFrontMatter, alias.Name))
		default:
			valid = append(valid, alias)
		}
	}
	return valid, errs
}

// aliasNames returns the names of aliases.
func aliasNames(aliases []markdown.Alias) []string {
	var names []string
	for _, alias := range aliases {
		names = append(names, alias.Name)
	}
	return names
}

// dropClashingAliases reports and removes every alias that equals the
// slug of a lesson or that an earlier lesson in path order already lists.
// Each old URL then redirects to one place, and no alias hides a lesson.
func (l *loader) dropClashingAliases() {
	slugs := make(map[string]*Lesson, len(l.lessons))
	for _, lesson := range l.lessons {
		slugs[lesson.Slug] = lesson
	}

	byPath := slices.SortedFunc(slices.Values(l.lessons), func(a, b *Lesson) int { return strings.Compare(a.Path, b.Path) })
	claimed := make(map[string]*Lesson)
	for _, lesson := range byPath {
		var names []string
		for _, alias := range l.aliases[lesson] {
			if owner, ok := slugs[alias.Name]; ok {
				l.errorf(lesson.Path, alias.Line, alias.Col, "%w: alias %q is the slug of %s, so its URL already shows that lesson; remove the alias", markdown.ErrFrontMatter, alias.Name, owner.Path)
				continue
			}
			if owner, ok := claimed[alias.Name]; ok {
				l.errorf(lesson.Path, alias.Line, alias.Col, "%w: alias %q is already an alias of %s; an old URL can redirect to one lesson only, so remove one of the two", markdown.ErrFrontMatter, alias.Name, owner.Path)
				continue
			}
			claimed[alias.Name] = lesson
			names = append(names, alias.Name)
		}
		lesson.Aliases = names
	}
}
