package events_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"salon/events"
)

func validQuestions() []events.Question {
	return []events.Question{
		{ID: "diet", Label: "Diet", LabelZh: "饮食", Type: events.QuestionChoice, Options: []string{"None", "Vegan"},
			OptionsZh: []string{"无", "纯素"}, Required: true},
		{ID: "photo", Label: "I agree to be photographed", Type: events.QuestionCheckbox, Required: true},
		{ID: "topics", Label: "Topics", Type: events.QuestionMulti, Options: []string{"AI", "Payments"}},
		{ID: "note", Label: "Anything else?", Type: events.QuestionText},
	}
}

func TestQuestionsValidate(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "option " + strconv.Itoa(i)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		mod    func(qs []events.Question) []events.Question
		fields string
	}{
		{"valid", func(qs []events.Question) []events.Question { return qs }, ""},
		{"none", func([]events.Question) []events.Question { return nil }, ""},
		{"missing id", func(qs []events.Question) []events.Question { qs[1].ID = ""; return qs }, "questions[1].id"},
		{"uppercase id", func(qs []events.Question) []events.Question { qs[0].ID = "Diet"; return qs }, "questions[0].id"},
		{"id 33", func(qs []events.Question) []events.Question { qs[0].ID = strings.Repeat("a", 33); return qs }, "questions[0].id"},
		{"id 32 with _ and -", func(qs []events.Question) []events.Question {
			qs[0].ID = "a_b-" + strings.Repeat("c", 28)
			return qs
		}, ""},
		{"id twice", func(qs []events.Question) []events.Question { qs[3].ID = "diet"; return qs }, "questions[3].id"},
		{"no label", func(qs []events.Question) []events.Question { qs[2].Label = ""; return qs }, "questions[2].label"},
		{"label too long", func(qs []events.Question) []events.Question {
			qs[2].Label = strings.Repeat("x", 301)
			return qs
		}, "questions[2].label"},
		{"LF in chinese label", func(qs []events.Question) []events.Question { qs[0].LabelZh = "a\nb"; return qs }, "questions[0].label_zh"},
		{"unknown type", func(qs []events.Question) []events.Question { qs[3].Type = "date"; return qs }, "questions[3].type"},
		{"choice without options", func(qs []events.Question) []events.Question {
			qs[0].Options, qs[0].OptionsZh = nil, nil
			return qs
		}, "questions[0].options"},
		{"21 options", func(qs []events.Question) []events.Question { qs[2].Options = many(21); return qs }, "questions[2].options"},
		{"20 options", func(qs []events.Question) []events.Question { qs[2].Options = many(20); return qs }, ""},
		{"option twice", func(qs []events.Question) []events.Question {
			qs[2].Options = []string{"AI", "AI"}
			return qs
		}, "questions[2].options"},
		{"option too long", func(qs []events.Question) []events.Question {
			qs[2].Options = []string{strings.Repeat("o", 201)}
			return qs
		}, "questions[2].options"},
		{"options on text", func(qs []events.Question) []events.Question { qs[3].Options = []string{"a"}; return qs }, "questions[3].options"},
		{"options on checkbox", func(qs []events.Question) []events.Question { qs[1].OptionsZh = []string{"是"}; return qs }, "questions[1].options"},
		{"chinese options short", func(qs []events.Question) []events.Question { qs[0].OptionsZh = []string{"无"}; return qs }, "questions[0].options_zh"},
		{"21 questions", func(qs []events.Question) []events.Question {
			var out []events.Question
			for i := 0; i < 21; i++ {
				out = append(out, events.Question{ID: "q" + strconv.Itoa(i), Label: "Q", Type: events.QuestionText})
			}
			return out
		}, "questions"},
		{"several", func(qs []events.Question) []events.Question {
			qs[0].Type, qs[2].Label = "x", ""
			return qs
		}, "questions[0].type,questions[2].label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := validSalon()
			s.Questions = tc.mod(validQuestions())
			var got []string
			if err := s.Validate(); err != nil {
				e := err.(*events.Error)
				for k := range e.Fields {
					got = append(got, k)
				}
			}
			sort.Strings(got)
			if g := strings.Join(got, ","); g != tc.fields {
				t.Fatalf("bad fields %q, want %q", g, tc.fields)
			}
		})
	}
}

// TestQuestionsInput: the API's questions are trimmed, empty option lines
// dropped, and a PATCH without questions leaves them alone while an empty
// list removes them.
func TestQuestionsInput(t *testing.T) {
	var in events.SalonInput
	body := `{"questions":[{"id":" diet ","label":"  Diet  ","type":"choice","options":[" None ","","Vegan"],"required":true}]}`
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	u, err := in.Update(events.DefaultTimezone)
	if err != nil {
		t.Fatal(err)
	}
	s := validSalon()
	s.Apply(u)
	if len(s.Questions) != 1 || s.Questions[0].ID != "diet" || s.Questions[0].Label != "Diet" ||
		strings.Join(s.Questions[0].Options, "|") != "None|Vegan" || !s.Questions[0].Required {
		t.Fatalf("questions %+v", s.Questions)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	// The update's list is the salon's own copy.
	(*u.Questions)[0].Options[0] = "changed"
	if s.Questions[0].Options[0] != "None" {
		t.Fatal("the salon shares its options with the update")
	}
	s.Apply(events.SalonUpdate{})
	if len(s.Questions) != 1 {
		t.Fatal("an update without questions changed them")
	}
	if s.Apply(events.SalonUpdate{Questions: &[]events.Question{}}) {
		t.Fatal("removing questions notified attendees")
	}
	if len(s.Questions) != 0 {
		t.Fatalf("questions after removing all: %+v", s.Questions)
	}
}

func TestQuestionLabels(t *testing.T) {
	q := validQuestions()[0]
	if q.LabelIn("zh") != "饮食" || q.LabelIn("en") != "Diet" {
		t.Fatalf("labels %q %q", q.LabelIn("zh"), q.LabelIn("en"))
	}
	if q.OptionLabelOf("zh", "Vegan") != "纯素" || q.OptionLabelOf("en", "Vegan") != "Vegan" || q.OptionLabelOf("zh", "Gone") != "Gone" {
		t.Fatal("option labels")
	}
	p := validQuestions()[2]
	if p.OptionLabel("zh", 1) != "Payments" {
		t.Fatal("an option without a Chinese label must read as itself")
	}
	if events.FindQuestion(validQuestions(), "photo") == nil || events.FindQuestion(validQuestions(), "nope") != nil {
		t.Fatal("FindQuestion")
	}
}
