package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
)

// questionsBody is a salon's questions as the API takes them.
const questionsBody = `"questions":[
	{"id":"diet","label":"Diet","label_zh":"饮食","type":"choice","options":["None","Vegan"],"options_zh":["无","纯素"],"required":true},
	{"id":"photo","label":"I agree to be photographed","type":"checkbox","required":true},
	{"id":"topics","label":"Topics","type":"multi","options":["AI","Payments"]},
	{"id":"note","label":"Anything else?","type":"text"}]`

// TestQuestionsDefinitions: questions are created and replaced through the
// API, shown on the public salon, and each bad definition is invalid with
// its field named, changing nothing.
func TestQuestionsDefinitions(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(questionsBody)
	s, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	qs, _ := out["salon"].(map[string]any)["questions"].([]any)
	if s != 200 || len(qs) != 4 || qs[0].(map[string]any)["label_zh"] != "饮食" || qs[1].(map[string]any)["required"] != true {
		t.Fatalf("public salon: %d %v", s, out)
	}
	plain := ta.Salon("")
	if _, out := ta.JSON("GET", "/api/v1/salons/"+plain, "", ""); out["salon"].(map[string]any)["questions"] == nil {
		t.Fatalf("a salon without questions must show []: %v", out)
	}
	for _, tc := range []struct{ name, body, fields string }{
		{"no id", `{"questions":[{"label":"A","type":"text"}]}`, "questions[0].id"},
		{"bad id", `{"questions":[{"id":"Has Space","label":"A","type":"text"}]}`, "questions[0].id"},
		{"id twice", `{"questions":[{"id":"a","label":"A","type":"text"},{"id":"a","label":"B","type":"text"}]}`, "questions[1].id"},
		{"no label", `{"questions":[{"id":"a","type":"text"}]}`, "questions[0].label"},
		{"unknown type", `{"questions":[{"id":"a","label":"A","type":"date"}]}`, "questions[0].type"},
		{"choice without options", `{"questions":[{"id":"a","label":"A","type":"choice"}]}`, "questions[0].options"},
		{"options twice", `{"questions":[{"id":"a","label":"A","type":"multi","options":["x","x"]}]}`, "questions[0].options"},
		{"options on text", `{"questions":[{"id":"a","label":"A","type":"text"},{"id":"b","label":"B","type":"checkbox","options":["x"]}]}`, "questions[1].options"},
		{"chinese options", `{"questions":[{"id":"a","label":"A","type":"choice","options":["x","y"],"options_zh":["甲"]}]}`, "questions[0].options_zh"},
		{"wrong type", `{"questions":[{"id":"a","label":"A","type":"text","required":"yes"}]}`, "questions.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, tc.body)
			if s != 422 || apptest.ErrCode(out) != "invalid" || ta.Fields(out) != tc.fields {
				t.Fatalf("%d %v, want invalid on %s", s, out, tc.fields)
			}
		})
	}
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"questions":[{"id":"a","label":"A","type":"text","hint":"x"}]}`); s != 400 {
		t.Fatalf("unknown field in a question: %d %v", s, out)
	}
	if _, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", ""); len(out["salon"].(map[string]any)["questions"].([]any)) != 4 {
		t.Fatal("a refused PATCH changed the questions")
	}
	s, out = ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"questions":[]}`)
	if s != 200 || len(out["salon"].(map[string]any)["questions"].([]any)) != 0 {
		t.Fatalf("removing the questions: %d %v", s, out)
	}
}

// TestAnswersScenarios: every bad answer is invalid on answers.<id> and
// writes nothing; a good RSVP keeps its answers in the ticket, the
// attendee list, the CSV and the export, never in the door's guest list.
func TestAnswersScenarios(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":10,` + questionsBody)
	rsvp := func(answers string, headers ...string) (int, map[string]any) {
		body := `{"name":"Ana Lima","email":"ana@example.com"`
		if answers != "" {
			body += `,"answers":` + answers
		}
		return ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body+"}", headers...)
	}
	for _, tc := range []struct{ name, answers, fields string }{
		{"none", "", "answers.diet,answers.photo"},
		{"required missing", `{"photo":true}`, "answers.diet"},
		{"required checkbox false", `{"diet":"None","photo":false}`, "answers.photo"},
		{"choice not offered", `{"diet":"Keto","photo":true}`, "answers.diet"},
		{"choice of the wrong type", `{"diet":1,"photo":true}`, "answers.diet"},
		{"checkbox of the wrong type", `{"diet":"None","photo":"yes"}`, "answers.photo"},
		{"multi of the wrong type", `{"diet":"None","photo":true,"topics":"AI"}`, "answers.topics"},
		{"multi not offered", `{"diet":"None","photo":true,"topics":["AI","Crypto"]}`, "answers.topics"},
		{"text of the wrong type", `{"diet":"None","photo":true,"note":["a"]}`, "answers.note"},
		{"text too long", `{"diet":"None","photo":true,"note":"` + strings.Repeat("长", 1001) + `"}`, "answers.note"},
		{"unknown id", `{"diet":"None","photo":true,"shoe":"42"}`, "answers.shoe"},
		{"not an object", `["None"]`, "answers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out := rsvp(tc.answers)
			if s != 422 || apptest.ErrCode(out) != "invalid" || ta.Fields(out) != tc.fields {
				t.Fatalf("%d %v, want invalid on %s", s, out, tc.fields)
			}
		})
	}
	if list, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{}); len(list) != 0 {
		t.Fatalf("refusals queued %d messages", len(list))
	}
	if _, out := ta.JSON("GET", "/api/v1/salons/"+slug+"/attendees", ta.Token, ""); len(out["attendees"].([]any)) != 0 {
		t.Fatalf("refusals wrote tickets: %v", out)
	}

	answers := `{"diet":"Vegan","photo":true,"topics":["Payments","AI"],"note":"=HYPERLINK(\"x\")"}`
	s, out := rsvp(answers, "Idempotency-Key", "k-1")
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	want := `{"diet":"Vegan","note":"=HYPERLINK(\"x\")","photo":true,"topics":["AI","Payments"]}`
	got, _ := json.Marshal(out["ticket"].(map[string]any)["answers"])
	if string(got) != want {
		t.Fatalf("ticket answers %s, want %s", got, want)
	}
	token := strings.TrimPrefix(out["ticket"].(map[string]any)["manage_url"].(string), "https://salon.example/t/")
	// The same key with other answers is refused; with the same answers it
	// replays.
	if s, out := rsvp(`{"diet":"None","photo":true}`, "Idempotency-Key", "k-1"); s != 422 || ta.Fields(out) != "Idempotency-Key" {
		t.Fatalf("same key, other answers: %d %v", s, out)
	}
	if s, out := rsvp(`{"photo":true, "note":"=HYPERLINK(\"x\")", "topics":["Payments","AI"], "diet":"Vegan"}`, "Idempotency-Key", "k-1"); s != 201 || out["replayed"] != true {
		t.Fatalf("same key, same answers: %d %v", s, out)
	}

	for _, path := range []string{"/api/v1/tickets/" + token, "/api/v1/salons/" + slug + "/attendees"} {
		_, body, _ := ta.Do("GET", path, ta.Token, "", "")
		if !strings.Contains(body, `"answers":`+want) {
			t.Errorf("%s: no answers in %s", path, body)
		}
	}
	s, csv, _ := ta.Do("GET", "/api/v1/salons/"+slug+"/attendees.csv", ta.Token, "", "")
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	if s != 200 || len(lines) != 2 || !strings.HasSuffix(lines[0], ",Diet,I agree to be photographed,Topics,Anything else?") ||
		!strings.HasSuffix(lines[1], `,Vegan,yes,AI; Payments,"'=HYPERLINK(""x"")"`) {
		t.Fatalf("csv: %d\n%s", s, csv)
	}
	_, body, _ := ta.Do("GET", "/api/v1/tickets/"+token+"/export", "", "", "")
	if !strings.Contains(body, `"answers":`+want) || !strings.Contains(body, `"label":"I agree to be photographed"`) {
		t.Errorf("export: %s", body)
	}
	_, door, _ := ta.Do("GET", "/api/v1/salons/"+slug+"/door", ta.Staff, "", "")
	if !strings.Contains(door, "Ana Lima") || strings.Contains(door, "Vegan") || strings.Contains(door, "HYPERLINK") || strings.Contains(door, "answers") {
		t.Errorf("the door's guest list shows answers: %s", door)
	}

	// Removing a question keeps its answers in the ticket and the export;
	// the CSV's columns follow the questions as they are now.
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"questions":[{"id":"photo","label":"Photos are fine","type":"checkbox"}]}`); s != 200 {
		t.Fatalf("patch: %d %v", s, out)
	}
	if _, body, _ := ta.Do("GET", "/api/v1/tickets/"+token, "", "", ""); !strings.Contains(body, `"answers":`+want) {
		t.Errorf("answers after the questions changed: %s", body)
	}
	_, csv, _ = ta.Do("GET", "/api/v1/salons/"+slug+"/attendees.csv", ta.Token, "", "")
	if lines := strings.Split(strings.TrimSpace(csv), "\r\n"); !strings.HasSuffix(lines[0], ",Photos are fine") || !strings.HasSuffix(lines[1], ",yes") {
		t.Errorf("csv after the change:\n%s", csv)
	}

	// Erasure empties the answers.
	if s, body, _ := ta.Do("POST", "/api/v1/tickets/"+token+"/erase", "", "", ""); s != 200 || !strings.Contains(body, `"answers":{}`) || strings.Contains(body, "Vegan") {
		t.Fatalf("erase: %d %s", s, body)
	}
	if _, body, _ := ta.Do("GET", "/api/v1/tickets/"+token+"/export", "", "", ""); strings.Contains(body, "Vegan") || strings.Contains(body, "HYPERLINK") {
		t.Errorf("export after erase holds answers: %s", body)
	}
}
