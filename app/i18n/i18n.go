// Package i18n is the one translation lookup every user-facing string goes
// through. Catalogues are built on golang.org/x/text/message; English is the
// source language and the fallback.
package i18n

import (
	"sort"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Supported languages, in order of preference for matching.
var Supported = []language.Tag{language.English, language.SimplifiedChinese}

var (
	cat     = catalog.NewBuilder(catalog.Fallback(language.English))
	matcher = language.NewMatcher(Supported)
	// printers are built once per language: a Printer is safe for concurrent use.
	printers = map[string]*message.Printer{}
)

// englishParts are the English catalogue's pieces, one per area, merged
// at start; a key may appear in only one.
var englishParts = []map[string]string{
	english, englishMail, englishConsole, englishTicket, englishWallet, englishSite, englishAccounts, englishPrivacy,
	englishApproval,
	englishQuestions,
	englishOrganizer,
	englishListing, englishAPIErrors,
}

// chineseParts are the Simplified Chinese pieces, key for key.
var chineseParts = []map[string]string{
	chinese, chineseConsole, chineseTicket, chineseWallet, chineseSite, chineseAccounts, chinesePrivacy,
	chineseApproval,
	chineseQuestions,
	chineseOrganizer,
	chineseListing, chineseAPIErrors,
}

// englishPlurals override keys whose first number decides the noun's form:
// singular, then plural.
var englishPlurals = map[string][2]string{
	"list.seats_left": {"%d seat left", "%d seats left"},
}

func init() {
	for _, part := range englishParts {
		for key, text := range part {
			var err error
			if forms, ok := englishPlurals[key]; ok {
				err = cat.Set(language.English, key, plural.Selectf(1, "%d", "one", forms[0], "other", forms[1]))
			} else {
				err = cat.SetString(language.English, key, text)
			}
			if err != nil {
				panic("i18n: " + key + ": " + err.Error())
			}
			allKeys = append(allKeys, key)
		}
	}
	for _, part := range chineseParts {
		for key, text := range part {
			if err := cat.SetString(language.SimplifiedChinese, key, text); err != nil {
				panic("i18n: zh " + key + ": " + err.Error())
			}
			zhKeys = append(zhKeys, key)
		}
	}
	printers["en"] = message.NewPrinter(language.English, message.Catalog(cat))
	printers["zh"] = message.NewPrinter(language.SimplifiedChinese, message.Catalog(cat))
}

// T returns the text for key in lang ("en" or "zh"), formatted with args in
// the fmt style. Unknown languages read English.
func T(lang, key string, args ...any) string {
	p, ok := printers[lang]
	if !ok {
		p = printers["en"]
	}
	if lang != "zh" || len(args) == 0 {
		return p.Sprintf(key, args...)
	}
	marked := make([]any, len(args))
	for i, a := range args {
		marked[i] = seamed{a}
	}
	return space(p.Sprintf(key, marked...))
}

// ChineseKeys lists every key of the Chinese catalogue, for tests.
func ChineseKeys() []string { return append([]string(nil), zhKeys...) }

var zhKeys []string

// Keys lists every key of the English catalogue, for tests.
func Keys() []string { return append([]string(nil), allKeys...) }

var allKeys []string

// Match picks a supported language ("en" or "zh") for an Accept-Language
// header, English when nothing matches.
func Match(acceptLanguage string) string {
	tags := parseAccept(acceptLanguage)
	// Take the reader's preferences in order: the first one we can serve
	// well wins, rather than a weak match to a later one.
	for _, tag := range tags {
		_, idx, conf := matcher.Match(tag)
		if conf == language.No {
			continue
		}
		if idx == 1 {
			return "zh"
		}
		return "en"
	}
	return "en"
}

// parseAccept reads an Accept-Language header, best first. One unknown or
// broken entry must not discard the others, as the library's parser does.
func parseAccept(h string) []language.Tag {
	if tags, _, err := language.ParseAcceptLanguage(h); err == nil {
		return tags
	}
	type entry struct {
		tag language.Tag
		q   float32
	}
	var entries []entry
	for _, part := range strings.Split(h, ",") {
		if tags, qs, err := language.ParseAcceptLanguage(part); err == nil && len(tags) == 1 {
			entries = append(entries, entry{tags[0], qs[0]})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].q > entries[j].q })
	out := make([]language.Tag, len(entries))
	for i, e := range entries {
		out[i] = e.tag
	}
	return out
}
