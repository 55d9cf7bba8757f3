package playground

import (
	"regexp"
	"unicode/utf8"
)

// maxUsernameLength is the longest accepted username in characters.
const maxUsernameLength = 64

const usernameRule = "username must be 1 to 64 characters, each an ASCII letter, a digit, '.', '_' or '-'"

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkUsername returns the username, or a 400 error that states the rule
// it breaks.
func checkUsername(username *string) (string, error) {
	switch {
	case username == nil:
		return "", invalidf("The field username is missing; %s.", usernameRule)
	case *username == "":
		return "", invalidf("The field username is empty; %s.", usernameRule)
	case utf8.RuneCountInString(*username) > maxUsernameLength:
		return "", invalidf("The username is %d characters long; %s.", utf8.RuneCountInString(*username), usernameRule)
	case !usernamePattern.MatchString(*username):
		return "", invalidf("The username %q contains a character that is not allowed; %s.", *username, usernameRule)
	}
	return *username, nil
}
