package web

import (
	"strings"

	"salon/app/i18n"
	"salon/events"
	"salon/tickets"
)

// AnswerCell is an answer as the CSV writes it: the text or option as
// given, a multi's options joined by "; ", a checkbox as yes or no; "" for
// no answer.
func AnswerCell(a tickets.Answer, ok bool) string {
	if !ok {
		return ""
	}
	switch a.Kind {
	case tickets.AnswerList:
		return strings.Join(a.List, "; ")
	case tickets.AnswerBool:
		if a.Bool {
			return "yes"
		}
		return "no"
	}
	return a.Text
}

// AnswerText is an answer as a page shows it to a reader of lang: options
// by their label in that language, a checkbox as yes or no.
func AnswerText(lang string, q *events.Question, a tickets.Answer) string {
	switch a.Kind {
	case tickets.AnswerList:
		sep := ", "
		if lang == "zh" {
			sep = "、"
		}
		out := make([]string, len(a.List))
		for i, v := range a.List {
			out[i] = q.OptionLabelOf(lang, v)
		}
		return strings.Join(out, sep)
	case tickets.AnswerBool:
		if a.Bool {
			return i18n.T(lang, "answer.yes")
		}
		return i18n.T(lang, "answer.no")
	}
	if q.HasOptions() {
		return q.OptionLabelOf(lang, a.Text)
	}
	return a.Text
}

// The rules' messages about questions and answers, in the reader's
// language; see fieldMessageKeys.
func init() {
	for msg, key := range map[string]string{
		"at most 20 questions":                                        "q.err.too_many",
		"must be a short key (a-z, 0-9, _ or -; at most 32)":          "q.err.id",
		"used by another question":                                    "q.err.id_taken",
		"must be text, choice, multi or checkbox":                     "q.err.type",
		"only choice and multi questions have options":                "q.err.no_options",
		"give 1 to 20 options":                                        "q.err.options",
		"each option must be one short line (at most 200 characters)": "q.err.option_line",
		"options must differ":                                         "q.err.options_differ",
		"give one Chinese label per option, or none":                  "q.err.options_zh",
		"must be checked":                                             "q.err.must_check",
		"not one of the options":                                      "q.err.not_option",
		"must be one of the options":                                  "q.err.not_option",
		"not a question of this salon":                                "q.err.unknown_question",
		"names a question this salon does not have":                   "q.err.unknown_question",
	} {
		fieldMessageKeys[msg] = key
	}
}
