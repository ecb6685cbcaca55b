package site_test

import (
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
)

const formQuestions = `"questions":[
	{"id":"diet","label":"Diet <script>x</script>","label_zh":"饮食","type":"choice","options":["None","Vegan"],"options_zh":["无","纯素"],"required":true},
	{"id":"photo","label":"I agree to be photographed","label_zh":"我同意被拍照","type":"checkbox","required":true},
	{"id":"topics","label":"Topics","label_zh":"话题","type":"multi","options":["AI","Payments"]},
	{"id":"note","label":"Anything else?","label_zh":"还有什么？","type":"text"}]`

// TestRSVPForm_Questions: the form asks the salon's questions in the page's
// language with labels escaped; a refused form comes back with each bad
// question named and every answer typed kept; a good one stores the
// answers as the API would.
func TestRSVPForm_Questions(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(formQuestions)
	base := ta.Listen()
	c := apptest.Browser(t)
	_, page := apptest.Get(t, c, base+"/salons/"+slug)
	for _, want := range []string{
		`Diet &lt;script&gt;x&lt;/script&gt;`, `name="a.diet" type="radio" value="Vegan"`, `name="ac.photo" type="checkbox" value="yes"`,
		`name="am.topics" type="checkbox" value="Payments"`, `<textarea id="q-note" name="a.note"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("want %s on the form", want)
		}
	}
	if strings.Contains(page, "<script>x") {
		t.Error("a question's label is not escaped")
	}
	csrf := apptest.CSRFRE.FindStringSubmatch(page)[1]

	// Chinese readers get the Chinese labels and options; the values sent
	// stay the options themselves.
	apptest.Get(t, c, base+"/lang/zh?next=/salons/"+slug)
	_, zh := apptest.Get(t, c, base+"/salons/"+slug)
	for _, want := range []string{"饮食", "我同意被拍照", `value="Vegan"`, ">纯素</label>", "还有什么？"} {
		if !strings.Contains(zh, want) {
			t.Errorf("want %s on the Chinese form", want)
		}
	}
	if strings.Contains(zh, "I agree to be photographed") {
		t.Error("the Chinese form shows the English label")
	}

	// Refused: the choice is missing and the box not ticked.
	form := url.Values{"_csrf": {csrf}, "name": {"Ana Lima"}, "email": {"ana@example.com"}, "am.topics": {"AI", "Payments"},
		"a.note": {"Vegetarian <b>please</b>"}}
	resp, _ := apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", form)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("refused form: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, back := apptest.Get(t, c, base+"/salons/"+slug)
	for _, want := range []string{`href="#q-diet"`, `href="#q-photo"`, "请勾选此项。", `id="q-photo-err"`,
		`value="AI" checked`, `value="Payments" checked`, `Vegetarian &lt;b&gt;please&lt;/b&gt;</textarea>`, `value="Ana Lima"`} {
		if !strings.Contains(back, want) {
			t.Errorf("want %s on the refused form", want)
		}
	}
	if leaks := apptest.EnglishLeaks(back); len(leaks) > 0 {
		t.Errorf("English on the Chinese form: %v", leaks)
	}

	// A crafted form with a wrong shape or an unknown question is refused
	// by the same rules.
	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana"}, "email": {"ana@example.com"},
		"a.diet": {"Keto"}, "ac.photo": {"yes"}, "a.shoe": {"42"}})
	if resp.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("crafted form: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	apptest.Get(t, c, base+"/salons/"+slug) // the flash is shown once

	form.Set("a.diet", "Vegan")
	form.Set("ac.photo", "yes")
	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", form)
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/t/") {
		t.Fatalf("good form: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body, _ := ta.Do("GET", "/api/v1/salons/"+slug+"/attendees", ta.Token, "", "")
	if !strings.Contains(body, `"answers":{"diet":"Vegan","note":"Vegetarian \u003cb\u003eplease\u003c/b\u003e","photo":true,"topics":["AI","Payments"]}`) {
		t.Fatalf("stored answers: %s", body)
	}
	sa, _ := ta.DB.FindSalonBySlug(t.Context(), slug)
	if list, _ := ta.DB.FindTickets(t.Context(), storage.TicketFilter{SalonID: sa.ID}); len(list) != 1 {
		t.Fatalf("%d tickets, want 1 (the refusals wrote none)", len(list))
	}
}
