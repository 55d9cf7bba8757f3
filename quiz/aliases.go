package quiz

import (
	"slices"

	"learn/markdown"
)

// checkAliases returns the aliases of the quiz whose id is id, and records
// an error for each alias that is not a valid id, repeats the quiz's own
// id or repeats an earlier alias in the list. Clashes with other quizzes
// are found by checkAliasClashes.
func (p *fileParser) checkAliases(id string, aliases []markdown.Alias) []markdown.Alias {
	var valid []markdown.Alias
	for _, alias := range aliases {
		switch {
		case !idPattern.MatchString(alias.Name):
			p.errs = append(p.errs, markdown.Errorf(p.name, alias.Line, alias.Col, "%w: invalid alias %q; use the old quiz id, with only lowercase letters, digits and hyphens, starting with a letter or digit", markdown.ErrFrontMatter, alias.Name))
		case alias.Name == id:
			p.errs = append(p.errs, markdown.Errorf(p.name, alias.Line, alias.Col, "%w: alias %q is the quiz's own id; remove it from aliases", markdown.ErrFrontMatter, alias.Name))
		case slices.ContainsFunc(valid, func(a markdown.Alias) bool { return a.Name == alias.Name }):
			p.errs = append(p.errs, markdown.Errorf(p.name, alias.Line, alias.Col, "%w: duplicate alias %q; remove one of the two", markdown.ErrFrontMatter, alias.Name))
		default:
			valid = append(valid, alias)
		}
	}
	return valid
}

// checkAliasClashes returns an error for each alias that is the id of a
// quiz or that an earlier quiz already lists. Each old URL then redirects
// to one place, and no alias hides a quiz. The quizzes must be in file
// name order.
func checkAliasClashes(quizzes []*Quiz) []error {
	ids := make(map[string]*Quiz, len(quizzes))
	for _, q := range quizzes {
		ids[q.ID] = q
	}

	var errs []error
	claimed := make(map[string]*Quiz)
	for _, q := range quizzes {
		for _, alias := range q.aliases {
			if owner, ok := ids[alias.Name]; ok {
				errs = append(errs, markdown.Errorf(q.Path, alias.Line, alias.Col, "%w: alias %q is the id of %s, so its URL already shows that quiz; remove the alias", markdown.ErrFrontMatter, alias.Name, owner.Path))
				continue
			}
			if owner, ok := claimed[alias.Name]; ok {
				errs = append(errs, markdown.Errorf(q.Path, alias.Line, alias.Col, "%w: alias %q is already an alias of %s; an old URL can redirect to one quiz only, so remove one of the two", markdown.ErrFrontMatter, alias.Name, owner.Path))
				continue
			}
			claimed[alias.Name] = q
		}
	}
	return errs
}
