package tickets_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"salon/events"
	"salon/tickets"
)

func questions() []events.Question {
	return []events.Question{
		{ID: "diet", Label: "Diet", Type: events.QuestionChoice, Options: []string{"None", "Vegan"}, Required: true},
		{ID: "photo", Label: "I agree to be photographed", Type: events.QuestionCheckbox, Required: true},
		{ID: "topics", Label: "Topics", Type: events.QuestionMulti, Options: []string{"AI", "Payments", "Lending"}},
		{ID: "note", Label: "Anything else?", Type: events.QuestionText},
		{ID: "news", Label: "Send me news", Type: events.QuestionCheckbox},
	}
}

func raw(t testing.TB, body string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		fields     string // bad fields, sorted
		want       string // the answers kept, as JSON
	}{
		{"all", `{"diet":"Vegan","photo":true,"topics":["Lending","AI"],"note":"  hi\r\nthere ","news":false}`, "",
			`{"diet":"Vegan","news":false,"note":"hi\nthere","photo":true,"topics":["AI","Lending"]}`},
		{"only required", `{"diet":"None","photo":true}`, "", `{"diet":"None","news":false,"photo":true}`},
		{"null is no answer", `{"diet":"None","photo":true,"note":null,"topics":null}`, "", `{"diet":"None","news":false,"photo":true}`},
		{"blank text is no answer", `{"diet":"None","photo":true,"note":"   "}`, "", `{"diet":"None","news":false,"photo":true}`},
		{"empty list is no answer", `{"diet":"None","photo":true,"topics":[]}`, "", `{"diet":"None","news":false,"photo":true}`},
		{"twice listed once", `{"diet":"None","photo":true,"topics":["AI","AI"]}`, "", `{"diet":"None","news":false,"photo":true,"topics":["AI"]}`},
		{"nothing", `{}`, "answers.diet,answers.photo", ""},
		{"required checkbox false", `{"diet":"None","photo":false}`, "answers.photo", ""},
		{"blank choice", `{"diet":" ","photo":true}`, "answers.diet", ""},
		{"choice not offered", `{"diet":"Keto","photo":true}`, "answers.diet", ""},
		{"choice is a number", `{"diet":5,"photo":true}`, "answers.diet", ""},
		{"choice is a list", `{"diet":["None"],"photo":true}`, "answers.diet", ""},
		{"checkbox is a string", `{"diet":"None","photo":"yes"}`, "answers.photo", ""},
		{"multi is a string", `{"diet":"None","photo":true,"topics":"AI"}`, "answers.topics", ""},
		{"multi not offered", `{"diet":"None","photo":true,"topics":["AI","Crypto"]}`, "answers.topics", ""},
		{"multi of numbers", `{"diet":"None","photo":true,"topics":[1]}`, "answers.topics", ""},
		{"text is an object", `{"diet":"None","photo":true,"note":{"a":1}}`, "answers.note", ""},
		{"text too long", `{"diet":"None","photo":true,"note":"` + strings.Repeat("长", 1001) + `"}`, "answers.note", ""},
		{"text of 1000", `{"diet":"None","photo":true,"note":"` + strings.Repeat("长", 1000) + `"}`, "",
			`{"diet":"None","news":false,"note":"` + strings.Repeat("长", 1000) + `","photo":true}`},
		{"text with NUL", `{"diet":"None","photo":true,"note":"a\u0000b"}`, "answers.note", ""},
		{"unknown id", `{"diet":"None","photo":true,"shoe":"42"}`, "answers.shoe", ""},
		{"id that is no id", `{"diet":"None","photo":true,"<b>":"x"}`, "answers", ""},
		{"several", `{"diet":"Keto","topics":"AI","shoe":1}`, "answers.diet,answers.photo,answers.shoe,answers.topics", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tickets.ParseAnswers(questions(), raw(t, tc.body))
			var fields []string
			if err != nil {
				e, ok := err.(*events.Error)
				if !ok || e.Code != events.EINVALID {
					t.Fatalf("error %v, want invalid", err)
				}
				for k := range e.Fields {
					fields = append(fields, k)
				}
				if got != nil {
					t.Fatal("answers returned with an error")
				}
			}
			sort.Strings(fields)
			if f := strings.Join(fields, ","); f != tc.fields {
				t.Fatalf("fields %q, want %q (%v)", f, tc.fields, err)
			}
			if tc.want != "" {
				b, _ := json.Marshal(got)
				if string(b) != tc.want {
					t.Fatalf("answers %s, want %s", b, tc.want)
				}
			}
		})
	}
}

func TestParseAnswers_NoQuestions(t *testing.T) {
	got, err := tickets.ParseAnswers(nil, nil)
	if err != nil || got != nil {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := tickets.ParseAnswers(nil, raw(t, `{"x":"y"}`)); err == nil {
		t.Fatal("an answer to a salon without questions was taken")
	}
	many := map[string]json.RawMessage{}
	for i := 0; i < 41; i++ {
		many[strings.Repeat("a", i+1)] = json.RawMessage(`""`)
	}
	if _, err := tickets.ParseAnswers(questions(), many); err == nil || err.(*events.Error).Fields["answers"] == "" {
		t.Fatalf("41 answers: %v", err)
	}
}

// TestAnswersJSON: answers read back as they were written, each in its
// own shape.
func TestAnswersJSON(t *testing.T) {
	in := tickets.Answers{"a": {Kind: tickets.AnswerText, Text: "x"}, "b": {Kind: tickets.AnswerList, List: []string{"1", "2"}},
		"c": {Kind: tickets.AnswerBool, Bool: true}, "d": {Kind: tickets.AnswerBool}}
	b, err := json.Marshal(in)
	if err != nil || string(b) != `{"a":"x","b":["1","2"],"c":true,"d":false}` {
		t.Fatalf("%s %v", b, err)
	}
	var out tickets.Answers
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out["a"].Text != "x" || out["b"].Kind != tickets.AnswerList || len(out["b"].List) != 2 || !out["c"].Bool || out["d"].Kind != tickets.AnswerBool {
		t.Fatalf("read back %+v", out)
	}
	if err := json.Unmarshal([]byte(`{"a":5}`), &out); err == nil {
		t.Fatal("a number read as an answer")
	}
}

// TestIdempotencyBody: answers change the body hash, their spacing and order
// do not, and an RSVP without answers hashes as before questions existed.
func TestIdempotencyBody(t *testing.T) {
	in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com", Lang: "en"}
	if in.IdempotencyBody() != "Ana\x00ana@example.com\x00\x00\x00en" {
		t.Fatalf("without answers: %q", in.IdempotencyBody())
	}
	a, b, c := in, in, in
	a.Answers = raw(t, `{"diet":"Vegan","topics":["AI"]}`)
	b.Answers = raw(t, `{ "topics" : [ "AI" ] , "diet" : "Vegan" }`)
	c.Answers = raw(t, `{"diet":"None","topics":["AI"]}`)
	if a.IdempotencyBody() != b.IdempotencyBody() {
		t.Fatal("spacing or order changed the body")
	}
	if a.IdempotencyBody() == c.IdempotencyBody() || a.IdempotencyBody() == in.IdempotencyBody() {
		t.Fatal("different answers gave the same body")
	}
}

// FuzzParseAnswers: any body either is refused as invalid with fields
// that name answers, or gives answers that fit their questions: offered
// options only, texts within bounds, every required question answered.
func FuzzParseAnswers(f *testing.F) {
	for _, s := range []string{`{"diet":"Vegan","photo":true}`, `{"topics":["AI","x"]}`, `{"note":"\u0000"}`,
		`{"diet":null}`, `{"photo":1}`, `{"":""}`, `{"note":"` + strings.Repeat("a", 1001) + `"}`} {
		f.Add(s)
	}
	qs := questions()
	f.Fuzz(func(t *testing.T, body string) {
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(body), &m) != nil {
			return
		}
		got, err := tickets.ParseAnswers(qs, m)
		if err != nil {
			e, ok := err.(*events.Error)
			if !ok || e.Code != events.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("error %v", err)
			}
			for k := range e.Fields {
				if k != "answers" && !strings.HasPrefix(k, "answers.") {
					t.Fatalf("field %q", k)
				}
			}
			return
		}
		for id, a := range got {
			q := events.FindQuestion(qs, id)
			if q == nil {
				t.Fatalf("answer to %q, no such question", id)
			}
			switch q.Type {
			case events.QuestionText:
				if a.Kind != tickets.AnswerText || a.Text == "" || utf8.RuneCountInString(a.Text) > tickets.MaxAnswerText ||
					!utf8.ValidString(a.Text) || events.CheckText(a.Text, tickets.MaxAnswerText) != "" {
					t.Fatalf("text answer %+v", a)
				}
			case events.QuestionChoice:
				if a.Kind != tickets.AnswerText || !q.Offers(a.Text) {
					t.Fatalf("choice answer %+v", a)
				}
			case events.QuestionMulti:
				if a.Kind != tickets.AnswerList || len(a.List) == 0 {
					t.Fatalf("multi answer %+v", a)
				}
				for _, o := range a.List {
					if !q.Offers(o) {
						t.Fatalf("multi answer %+v", a)
					}
				}
			case events.QuestionCheckbox:
				if a.Kind != tickets.AnswerBool {
					t.Fatalf("checkbox answer %+v", a)
				}
			}
		}
		for _, q := range qs {
			a, ok := got[q.ID]
			if q.Required && (!ok || (q.Type == events.QuestionCheckbox && !a.Bool)) {
				t.Fatalf("required %s unanswered: %v", q.ID, got)
			}
		}
		// What is kept reads back the same.
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var back tickets.Answers
		if err := json.Unmarshal(b, &back); err != nil || len(back) != len(got) {
			t.Fatalf("read back %s: %v", b, err)
		}
	})
}
