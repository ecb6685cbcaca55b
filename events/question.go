package events

import (
	"regexp"
	"strconv"
	"strings"
)

// Question types: what the RSVP form asks and what shape the answer takes.
const (
	// QuestionText is answered with free text.
	QuestionText = "text"
	// QuestionChoice is answered with one of its options.
	QuestionChoice = "choice"
	// QuestionMulti is answered with any number of its options.
	QuestionMulti = "multi"
	// QuestionCheckbox is answered yes or no; a required one must be
	// ticked ("I agree to be photographed").
	QuestionCheckbox = "checkbox"
)

// Limits on questions.
const (
	MaxQuestions     = 20
	MaxQuestionID    = 32
	MaxQuestionLabel = 300
	MaxOptions       = 20
	MaxOption        = 200
)

// Question is one custom question of a salon's RSVP form. ID names it for
// good: answers are stored under it, so they survive edits of the label or
// the options. Options are the values answers hold; OptionsZh, when given,
// are their Chinese labels, one per option, shown to Chinese readers.
type Question struct {
	ID        string   `json:"id"`
	Label     string   `json:"label"`
	LabelZh   string   `json:"label_zh,omitempty"`
	Type      string   `json:"type"`
	Options   []string `json:"options,omitempty"`
	OptionsZh []string `json:"options_zh,omitempty"`
	Required  bool     `json:"required"`
}

// LabelIn is the label in lang, falling back like Salon.TitleIn.
func (q *Question) LabelIn(lang string) string { return inLang(lang, q.Label, q.LabelZh) }

// OptionLabel is how option i reads in lang: its Chinese label for a
// Chinese reader when there is one, else the option itself.
func (q *Question) OptionLabel(lang string, i int) string {
	if lang == "zh" && i < len(q.OptionsZh) && q.OptionsZh[i] != "" {
		return q.OptionsZh[i]
	}
	return q.Options[i]
}

// OptionLabelOf is OptionLabel for an option given by its value; a value
// the question no longer offers reads as itself.
func (q *Question) OptionLabelOf(lang, value string) string {
	for i, o := range q.Options {
		if o == value {
			return q.OptionLabel(lang, i)
		}
	}
	return value
}

// HasOptions reports whether answers pick from the question's options.
func (q *Question) HasOptions() bool { return q.Type == QuestionChoice || q.Type == QuestionMulti }

// Offers reports whether value is one of the question's options.
func (q *Question) Offers(value string) bool {
	for _, o := range q.Options {
		if o == value {
			return true
		}
	}
	return false
}

// FindQuestion returns the question of qs with id, or nil.
func FindQuestion(qs []Question, id string) *Question {
	for i := range qs {
		if qs[i].ID == id {
			return &qs[i]
		}
	}
	return nil
}

var questionIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// ValidQuestionID reports whether id may name a question: 1 to 32 of
// a-z, 0-9, _ and -, starting with a letter or digit.
func ValidQuestionID(id string) bool { return questionIDRE.MatchString(id) }

// NormalizeQuestions trims every text of qs and drops empty option lines,
// in place; what is left is for ValidateQuestions to judge.
func NormalizeQuestions(qs []Question) {
	for i := range qs {
		q := &qs[i]
		q.ID, q.Type = strings.TrimSpace(q.ID), strings.TrimSpace(q.Type)
		q.Label, q.LabelZh = CollapseSpace(q.Label), CollapseSpace(q.LabelZh)
		q.Options, q.OptionsZh = trimLines(q.Options), trimLines(q.OptionsZh)
	}
}

// trimLines trims each line and drops the empty ones, keeping nil for none.
func trimLines(in []string) []string {
	var out []string
	for _, s := range in {
		if s = CollapseSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// validateQuestions adds to f what is wrong with qs, each problem on the
// field of its question: questions[2].options.
func validateQuestions(f FieldErrors, qs []Question) {
	if len(qs) > MaxQuestions {
		f.Add("questions", "at most "+strconv.Itoa(MaxQuestions)+" questions")
		return
	}
	seen := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		at := "questions[" + strconv.Itoa(i) + "]."
		switch {
		case q.ID == "":
			f.Add(at+"id", "required")
		case !ValidQuestionID(q.ID):
			f.Add(at+"id", "must be a short key (a-z, 0-9, _ or -; at most 32)")
		case seen[q.ID]:
			f.Add(at+"id", "used by another question")
		}
		seen[q.ID] = true
		if msg := CheckLine(q.Label, 1, MaxQuestionLabel); msg != "" {
			f.Add(at+"label", msg)
		}
		if msg := CheckLine(q.LabelZh, 0, MaxQuestionLabel); msg != "" {
			f.Add(at+"label_zh", msg)
		}
		switch q.Type {
		case QuestionText, QuestionCheckbox:
			if len(q.Options) > 0 || len(q.OptionsZh) > 0 {
				f.Add(at+"options", "only choice and multi questions have options")
			}
			continue
		case QuestionChoice, QuestionMulti:
		default:
			f.Add(at+"type", "must be text, choice, multi or checkbox")
			continue
		}
		if msg := checkOptions(q.Options, 1); msg != "" {
			f.Add(at+"options", msg)
		}
		if len(q.OptionsZh) > 0 && len(q.OptionsZh) != len(q.Options) {
			f.Add(at+"options_zh", "give one Chinese label per option, or none")
		} else if msg := checkOptions(q.OptionsZh, 0); msg != "" {
			f.Add(at+"options_zh", msg)
		}
	}
}

// checkOptions reports what is wrong with a list of options: at least min
// and at most MaxOptions, each a short line, none twice.
func checkOptions(opts []string, min int) string {
	if len(opts) < min || len(opts) > MaxOptions {
		return "give 1 to " + strconv.Itoa(MaxOptions) + " options"
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if CheckLine(o, 1, MaxOption) != "" {
			return "each option must be one short line (at most 200 characters)"
		}
		if seen[o] {
			return "options must differ"
		}
		seen[o] = true
	}
	return ""
}

// cloneQuestions copies qs deeply, so a salon never shares its questions'
// slices with an update or another salon.
func cloneQuestions(qs []Question) []Question {
	if qs == nil {
		return nil
	}
	out := make([]Question, len(qs))
	for i, q := range qs {
		q.Options = append([]string(nil), q.Options...)
		q.OptionsZh = append([]string(nil), q.OptionsZh...)
		if len(q.Options) == 0 {
			q.Options = nil
		}
		if len(q.OptionsZh) == 0 {
			q.OptionsZh = nil
		}
		out[i] = q
	}
	return out
}
