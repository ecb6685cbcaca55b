package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// The questions contracts are kept beside their tests rather than in the
// list in storagetest.go.
func init() {
	contracts = append(contracts,
		contract{"Questions_Stored", testQuestionsStored},
		contract{"Answers_Stored", testAnswersStored},
		contract{"Answers_RefusedWriteNothing", testAnswersRefused},
		contract{"Answers_Idempotency", testAnswersIdempotency},
		contract{"Answers_Erased", testAnswersErased},
		contract{"Answers_CheckedInsideWrite", testAnswersInsideWrite},
	)
}

func sampleQuestions() []events.Question {
	return []events.Question{
		{ID: "diet", Label: "Diet", LabelZh: "饮食", Type: events.QuestionChoice, Options: []string{"None", "Vegan"},
			OptionsZh: []string{"无", "纯素"}, Required: true},
		{ID: "photo", Label: "I agree to be photographed", Type: events.QuestionCheckbox, Required: true},
		{ID: "topics", Label: "Topics", Type: events.QuestionMulti, Options: []string{"AI", "Payments"}},
		{ID: "note", Label: "Anything else?", Type: events.QuestionText},
	}
}

// salonWithQuestions creates a published salon asking qs.
func salonWithQuestions(tb testing.TB, db storage.Store, capacity int, qs []events.Question) *events.Salon {
	tb.Helper()
	s := mustCreateSalon(tb, db, capacity, true)
	out, err := db.UpdateSalon(context.Background(), s.ID, events.SalonUpdate{Questions: &qs})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// rsvpAnswers RSVPs for email with answers given as a JSON object.
func rsvpAnswers(tb testing.TB, db storage.Store, slug, email, answers, key string) (*storage.RSVPResult, error) {
	tb.Helper()
	in := tickets.RSVPInput{Name: "Guest " + email, Email: email}
	in.Normalize()
	if answers != "" {
		if err := json.Unmarshal([]byte(answers), &in.Answers); err != nil {
			tb.Fatal(err)
		}
	}
	return db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in, IdempotencyKey: key})
}

func answersJSON(a tickets.Answers) string {
	b, _ := json.Marshal(a)
	return string(b)
}

// testQuestionsStored: questions are saved in order with every field, read
// back by every lookup, replaced by an update, and refused with the bad
// field named.
func testQuestionsStored(t *testing.T, db *store) {
	ctx := context.Background()
	start := mustCreateSalon(t, db, 5, true).StartsAt
	s := &events.Salon{Title: "With questions", Industry: "fintech", StartsAt: start, EndsAt: start.Add(7200e9),
		Capacity: 5, Status: events.StatusPublished, Questions: sampleQuestions()}
	if err := db.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(sampleQuestions())
	byID, _ := db.FindSalonByID(ctx, s.ID)
	bySlug, _ := db.FindSalonBySlug(ctx, s.Slug)
	list, _ := db.FindSalons(ctx, events.SalonFilter{})
	var listed *events.Salon
	for _, l := range list {
		if l.ID == s.ID {
			listed = l
		}
	}
	for what, got := range map[string]*events.Salon{"by id": byID, "by slug": bySlug, "listed": listed} {
		if b, _ := json.Marshal(got.Questions); string(b) != string(want) {
			t.Fatalf("%s: questions %s, want %s", what, b, want)
		}
	}
	fewer := sampleQuestions()[2:]
	out, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Questions: &fewer})
	if err != nil || len(out.Questions) != 2 || out.Questions[0].ID != "topics" {
		t.Fatalf("update: %+v %v", out, err)
	}
	if out.Sequence != s.Sequence {
		t.Fatal("a change of questions raised the sequence")
	}
	title := "Renamed"
	if out, _ := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Title: &title}); len(out.Questions) != 2 {
		t.Fatal("an update without questions lost them")
	}
	bad := sampleQuestions()
	bad[2].Options = nil
	_, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Questions: &bad})
	if e, ok := err.(*events.Error); !ok || e.Code != events.EINVALID || e.Fields["questions[2].options"] == "" {
		t.Fatalf("bad questions: %v", err)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); len(got.Questions) != 2 {
		t.Fatal("refused questions were written")
	}
}

// testAnswersStored: answers are kept with the ticket, read back by every
// ticket lookup, and stay under their id when the question is edited or
// removed.
func testAnswersStored(t *testing.T, db *store) {
	ctx := context.Background()
	s := salonWithQuestions(t, db, 5, sampleQuestions())
	res, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", `{"diet":"Vegan","photo":true,"topics":["Payments","AI"],"note":" hi "}`, "")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"diet":"Vegan","note":"hi","photo":true,"topics":["AI","Payments"]}`
	if got := answersJSON(res.Ticket.Answers); got != want {
		t.Fatalf("answers in the result %s, want %s", got, want)
	}
	byToken, _ := db.FindTicketByToken(ctx, res.Ticket.Token)
	byID, _ := db.FindTicketByID(ctx, s.ID, res.Ticket.ID)
	list, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
	ex, _ := db.ExportTicket(ctx, res.Ticket.Token)
	for what, got := range map[string]*tickets.Ticket{"by token": byToken, "by id": byID, "listed": list[0], "exported": ex.Ticket} {
		if a := answersJSON(got.Answers); a != want {
			t.Fatalf("%s: answers %s, want %s", what, a, want)
		}
	}
	// Optional questions left out stay out of the stored answers, and a
	// ticket of a salon without questions has none.
	res, err = rsvpAnswers(t, db, s.Slug, "bob@example.com", `{"diet":"None","photo":true}`, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicketByID(ctx, s.ID, res.Ticket.ID); answersJSON(got.Answers) != `{"diet":"None","photo":true}` {
		t.Fatalf("answers with optional ones left out: %s", answersJSON(got.Answers))
	}
	noQ := mustCreateSalon(t, db, 5, true)
	plain, err := rsvp(t, db, noQ.Slug, "cy@example.com")
	if err != nil || plain.Answers != nil {
		t.Fatalf("ticket without questions: %+v %v", plain, err)
	}
	// The organizer removes "diet" and reuses nothing: the answers stay.
	qs := sampleQuestions()[1:]
	qs[0].Label = "Photos are fine"
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Questions: &qs}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicketByID(ctx, s.ID, byID.ID); answersJSON(got.Answers) != want {
		t.Fatalf("answers after the questions changed: %s", answersJSON(got.Answers))
	}
}

// testAnswersRefused: each bad answer is EINVALID on answers.<id>, and
// writes nothing: no ticket, no mail, no count.
func testAnswersRefused(t *testing.T, db *store) {
	ctx := context.Background()
	s := salonWithQuestions(t, db, 5, sampleQuestions())
	for _, tc := range []struct{ body, field string }{
		{`{"photo":true}`, "answers.diet"},
		{`{"diet":"None","photo":false}`, "answers.photo"},
		{`{"diet":"Keto","photo":true}`, "answers.diet"},
		{`{"diet":"None","photo":true,"topics":"AI"}`, "answers.topics"},
		{`{"diet":"None","photo":true,"shoe":"42"}`, "answers.shoe"},
		{`{"diet":"None","photo":true,"note":"` + strings.Repeat("x", 1001) + `"}`, "answers.note"},
	} {
		_, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", tc.body, "k-"+tc.field)
		if e, ok := err.(*events.Error); !ok || e.Code != events.EINVALID || e.Fields[tc.field] == "" {
			t.Fatalf("%s: %v, want invalid on %s", tc.body, err, tc.field)
		}
	}
	if list, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID}); len(list) != 0 {
		t.Fatalf("%d tickets written", len(list))
	}
	if k := countKinds(t, db, s.ID); len(k) != 0 {
		t.Fatalf("mail queued: %v", k)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.Confirmed != 0 {
		t.Fatalf("confirmed %d", got.Confirmed)
	}
	// The same key, refused before, is free for a good request: refusals
	// are not remembered.
	if _, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", `{"diet":"None","photo":true}`, "k-answers.diet"); err != nil {
		t.Fatal(err)
	}
}

// testAnswersIdempotency: a repeat with the same answers (in any order and
// spacing) replays; other answers under the same key are refused.
func testAnswersIdempotency(t *testing.T, db *store) {
	s := salonWithQuestions(t, db, 5, sampleQuestions())
	first, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", `{"diet":"None","photo":true,"topics":["AI"]}`, "k-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", `{ "topics": ["AI"], "photo": true, "diet": "None" }`, "k-1")
	if err != nil || !again.Replayed || again.Ticket.ID != first.Ticket.ID {
		t.Fatalf("replay: %+v %v", again, err)
	}
	if answersJSON(again.Ticket.Answers) != answersJSON(first.Ticket.Answers) {
		t.Fatal("the replay lost the answers")
	}
	_, err = rsvpAnswers(t, db, s.Slug, "ana@example.com", `{"diet":"Vegan","photo":true,"topics":["AI"]}`, "k-1")
	if e, ok := err.(*events.Error); !ok || e.Fields["Idempotency-Key"] == "" {
		t.Fatalf("other answers, same key: %v", err)
	}
}

// testAnswersErased: erasure empties the answers, and nothing of them is
// left in the ticket or its export.
func testAnswersErased(t *testing.T, db *store) {
	ctx := context.Background()
	s := salonWithQuestions(t, db, 5, sampleQuestions())
	res, err := rsvpAnswers(t, db, s.Slug, "ana@example.com", `{"diet":"Vegan","photo":true,"note":"Allergic to peanuts"}`, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.EraseTicket(ctx, res.Ticket.Token)
	if err != nil || got.Answers != nil {
		t.Fatalf("erased ticket: %+v %v", got, err)
	}
	ex, err := db.ExportTicket(ctx, res.Ticket.Token)
	if err != nil || ex.Ticket.Answers != nil {
		t.Fatalf("export after erase: %+v %v", ex, err)
	}
	if list, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID}); len(list) != 1 || list[0].Answers != nil {
		t.Fatalf("listed after erase: %+v", list)
	}
}

// testAnswersInsideWrite: a required question added while RSVPs race in
// is checked by the write that reads it: every ticket written after the
// questions changed answers it, and every RSVP refused was refused on it.
func testAnswersInsideWrite(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 200, true)
	qs := []events.Question{{ID: "photo", Label: "Photos are fine", Type: events.QuestionCheckbox, Required: true}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	refused := 0
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := rsvpAnswers(t, db, s.Slug, fmt.Sprintf("p%d@example.com", i), "", "")
			if err == nil {
				return
			}
			if e, ok := err.(*events.Error); !ok || e.Fields["answers.photo"] == "" {
				t.Errorf("refusal %v", err)
			}
			mu.Lock()
			refused++
			mu.Unlock()
		}(i)
		if i == 30 {
			if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Questions: &qs}); err != nil {
				t.Fatal(err)
			}
		}
	}
	wg.Wait()
	list, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
	if len(list)+refused != 60 {
		t.Fatalf("%d tickets and %d refusals of 60", len(list), refused)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.Confirmed != len(list) {
		t.Fatalf("confirmed %d, tickets %d", got.Confirmed, len(list))
	}
	if _, err := rsvpAnswers(t, db, s.Slug, "late@example.com", "", ""); err == nil {
		t.Fatal("an RSVP after the question was added went through without its answer")
	}
}
