package tickets

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"salon/events"
)

// MaxAnswerText bounds a text answer, in characters.
const MaxAnswerText = 1000

// AnswerKind is the shape an answer takes.
type AnswerKind uint8

// Answer shapes: text and choice questions are answered with a string,
// multi with a list of options, checkbox with a yes or no.
const (
	AnswerText AnswerKind = iota + 1
	AnswerList
	AnswerBool
)

// Answer is one answer as it was given. It keeps its own shape, so an
// answer still reads right after its question was changed or removed.
type Answer struct {
	Kind AnswerKind
	Text string
	List []string
	Bool bool
}

// Answers maps question ids to the answers given.
type Answers map[string]Answer

// MarshalJSON writes a as the API shows it: a string, a list of strings or
// a boolean.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case AnswerList:
		if a.List == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(a.List)
	case AnswerBool:
		return json.Marshal(a.Bool)
	default:
		return json.Marshal(a.Text)
	}
}

// UnmarshalJSON reads an answer as MarshalJSON writes it.
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		*a = Answer{Kind: AnswerText}
		return json.Unmarshal(b, &a.Text)
	case len(b) > 0 && b[0] == '[':
		*a = Answer{Kind: AnswerList}
		return json.Unmarshal(b, &a.List)
	case bytes.Equal(b, []byte("true")) || bytes.Equal(b, []byte("false")):
		*a = Answer{Kind: AnswerBool, Bool: b[0] == 't'}
		return nil
	}
	return errors.New("tickets: an answer is a string, a list of strings or a boolean")
}

// ParseAnswers checks the answers an RSVP sent against the salon's
// questions and returns them as they are kept: texts trimmed, a multi's
// options in the question's order, each checkbox answered (false when not
// ticked). Unanswered questions that are not checkboxes are left out. Every
// problem is EINVALID on the field answers.<id>: an id that is no question
// of the salon, an answer of the wrong type, an option not offered, a text
// too long, a required question unanswered or a required checkbox not
// ticked.
func ParseAnswers(qs []events.Question, raw map[string]json.RawMessage) (Answers, error) {
	f := events.FieldErrors{}
	if len(raw) > 2*events.MaxQuestions {
		f.Add("answers", "too many answers")
		return nil, f.Err()
	}
	for id := range raw {
		if events.FindQuestion(qs, id) != nil {
			continue
		}
		if events.ValidQuestionID(id) {
			f.Add("answers."+id, "not a question of this salon")
		} else {
			// An id that could not name a question is not echoed back.
			f.Add("answers", "names a question this salon does not have")
		}
	}
	out := Answers{}
	for i := range qs {
		q := &qs[i]
		v, given := raw[q.ID]
		if given && isNull(v) {
			given = false
		}
		a, answered, msg := parseAnswer(q, v, given)
		if msg == "" && q.Required && !answered {
			msg = "required"
			if q.Type == events.QuestionCheckbox {
				msg = "must be checked"
			}
		}
		if msg != "" {
			f.Add("answers."+q.ID, msg)
			continue
		}
		if answered || q.Type == events.QuestionCheckbox {
			out[q.ID] = a
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// parseAnswer reads one answer to q: the answer, whether it answers
// (a non-empty text, an option, a non-empty list, a tick), or what is wrong.
func parseAnswer(q *events.Question, v json.RawMessage, given bool) (a Answer, answered bool, msg string) {
	switch q.Type {
	case events.QuestionCheckbox:
		a.Kind = AnswerBool
		if given && json.Unmarshal(v, &a.Bool) != nil {
			return a, false, "must be true or false"
		}
		return a, a.Bool, ""
	case events.QuestionMulti:
		a.Kind = AnswerList
		var picked []string
		if given && json.Unmarshal(v, &picked) != nil {
			return a, false, "must be a list of options"
		}
		chosen := map[string]bool{}
		for _, p := range picked {
			if p = strings.TrimSpace(p); !q.Offers(p) {
				return a, false, "not one of the options"
			}
			chosen[p] = true
		}
		for _, o := range q.Options {
			if chosen[o] {
				a.List = append(a.List, o)
			}
		}
		return a, len(a.List) > 0, ""
	}
	a.Kind = AnswerText
	if given && json.Unmarshal(v, &a.Text) != nil {
		if q.Type == events.QuestionChoice {
			return a, false, "must be one of the options"
		}
		return a, false, "must be text"
	}
	if q.Type == events.QuestionChoice {
		a.Text = strings.TrimSpace(a.Text)
		if a.Text != "" && !q.Offers(a.Text) {
			return a, false, "not one of the options"
		}
		return a, a.Text != "", ""
	}
	a.Text = events.NormalizeText(a.Text)
	if msg := events.CheckText(a.Text, MaxAnswerText); msg != "" {
		return a, false, msg
	}
	return a, a.Text != "", ""
}

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// canonicalAnswers writes raw answers in one form whatever their spacing
// and key order, for the idempotency hash; "" when there are none.
func canonicalAnswers(raw map[string]json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		var v any
		enc := []byte(raw[id])
		if json.Unmarshal(raw[id], &v) == nil {
			enc, _ = json.Marshal(v)
		}
		b.WriteString(strconv.Quote(id))
		b.WriteByte(':')
		b.Write(enc)
		b.WriteByte(',')
	}
	return b.String()
}

// IdempotencyBody is what the idempotency hash of an RSVP covers: every
// field of the normalized input. Without answers it is what it was before
// questions existed, so keys recorded then still replay.
func (in *RSVPInput) IdempotencyBody() string {
	body := in.Name + "\x00" + in.Email + "\x00" + in.Company + "\x00" + in.JobTitle + "\x00" + in.Lang
	if in.Guests > 0 {
		body += "\x00guests=" + strconv.Itoa(in.Guests)
	}
	if a := canonicalAnswers(in.Answers); a != "" {
		body += "\x00answers\x00" + a
	}
	return body
}
