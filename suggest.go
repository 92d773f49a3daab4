package linkemu

import (
	"sort"
	"strings"
)

// Suggest returns the candidate closest to name, for "did you mean" hints
// in errors, or "" when none is close enough to be a likely typo. Closeness
// is the edit distance (insertions, deletions, substitutions and swaps of
// two neighbouring characters), ignoring case; a candidate qualifies within
// a distance of 2, or a quarter of name's length for long names. Ties go to
// the candidate first in sort order, so the hint is stable.
func Suggest(name string, candidates []string) string {
	limit := max(2, len(name)/4)
	best, bestD := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	lname := strings.ToLower(name)
	for _, c := range sorted {
		if c == name || c == "" {
			continue
		}
		if d := editDistance(lname, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// DidYouMean returns " Did you mean 'x'?" for the candidate Suggest picks,
// or "" when there is none; it is meant to end an error message.
func DidYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return " Did you mean '" + s + "'?"
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one before the previous (for swaps), previous, current.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// SuggestionOf returns the DidYouMean hint that ends err's message, or "",
// so that a caller rewording an error keeps the hint.
func SuggestionOf(err error) string {
	if _, hint, ok := strings.Cut(ErrorMessage(err), " Did you mean '"); ok {
		return " Did you mean '" + hint
	}
	return ""
}
