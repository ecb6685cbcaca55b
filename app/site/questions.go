package site

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
)

// The RSVP form's questions travel in fields whose prefix says the shape
// of the answer, so the form handler needs no read of the salon to turn
// them into the API's answers: "a.<id>" a string (text, choice),
// "am.<id>" one value per ticked option (multi), "ac.<id>" present when
// ticked (checkbox). Whatever a crafted form sends is checked against the
// questions by the same rules as the API's answers.
const (
	answerPrefix      = "a."
	answerMultiPrefix = "am."
	answerCheckPrefix = "ac."
)

// questionField is one question as the form shows it, with what was typed
// after a refused form.
type questionField struct {
	ID, Name, Type, Label string
	Required              bool
	Options               []optionField
	Text                  string
	Checked               bool
	Error                 string
}

type optionField struct {
	Value, Label string
	Checked      bool
}

// questionFieldID is the HTML id of a question's field (or fieldset).
func questionFieldID(id string) string { return "q-" + id }

// Questions are the salon's questions in the page's language, filled with
// what the refused form carried.
func (p salonPage) Questions() []questionField {
	out := make([]questionField, 0, len(p.Salon.Questions))
	for i := range p.Salon.Questions {
		q := &p.Salon.Questions[i]
		f := questionField{ID: questionFieldID(q.ID), Type: q.Type, Label: q.LabelIn(p.Lang), Required: q.Required,
			Error: p.Errors["answers."+q.ID]}
		given := p.Form.Answers[q.ID]
		switch q.Type {
		case events.QuestionCheckbox:
			f.Name = answerCheckPrefix + q.ID
			_ = json.Unmarshal(given, &f.Checked)
		case events.QuestionMulti:
			f.Name = answerMultiPrefix + q.ID
			var picked []string
			_ = json.Unmarshal(given, &picked)
			for j, o := range q.Options {
				f.Options = append(f.Options, optionField{Value: o, Label: q.OptionLabel(p.Lang, j), Checked: contains(picked, o)})
			}
		default:
			f.Name = answerPrefix + q.ID
			_ = json.Unmarshal(given, &f.Text)
			for j, o := range q.Options {
				f.Options = append(f.Options, optionField{Value: o, Label: q.OptionLabel(p.Lang, j), Checked: f.Text == o})
			}
		}
		out = append(out, f)
	}
	return out
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// formAnswers reads the form's answer fields into the API's answers:
// nil when the form has none.
func formAnswers(c *fiber.Ctx) map[string]json.RawMessage {
	texts := map[string]string{}
	lists := map[string][]string{}
	checks := map[string]bool{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		switch {
		case strings.HasPrefix(key, answerMultiPrefix):
			id := strings.TrimPrefix(key, answerMultiPrefix)
			lists[id] = append(lists[id], string(v))
		case strings.HasPrefix(key, answerCheckPrefix):
			checks[strings.TrimPrefix(key, answerCheckPrefix)] = true
		case strings.HasPrefix(key, answerPrefix):
			if id := strings.TrimPrefix(key, answerPrefix); texts[id] == "" {
				texts[id] = string(v)
			}
		}
	})
	if len(texts)+len(lists)+len(checks) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(texts)+len(lists)+len(checks))
	put := func(id string, v any) {
		if _, taken := out[id]; !taken {
			b, _ := json.Marshal(v)
			out[id] = b
		}
	}
	for id, v := range texts {
		put(id, v)
	}
	for id, v := range lists {
		put(id, v)
	}
	for id := range checks {
		put(id, true)
	}
	return out
}

// questionBadFields lists the questions with errors, in the form's
// order, for the error summary.
func questionBadFields(lang string, qs []events.Question, errs map[string]string) []badField {
	var out []badField
	for i := range qs {
		if msg, ok := errs["answers."+qs[i].ID]; ok {
			out = append(out, badField{ID: questionFieldID(qs[i].ID), Label: qs[i].LabelIn(lang), Message: msg})
		}
	}
	if msg, ok := errs["answers"]; ok {
		out = append(out, badField{ID: "rsvp-h", Label: i18n.T(lang, "salon.rsvp"), Message: msg})
	}
	return out
}
