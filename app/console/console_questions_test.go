package console_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/tickets"
)

// TestConsole_QuestionsEditor: the salon form's editor adds, moves and
// removes questions without saving and without JavaScript, saves them with
// the salon (keys made from the labels), names each bad question's field,
// escapes what it shows, and refuses a post without the form's token.
func TestConsole_QuestionsEditor(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	tok := apptest.FormToken(t, c, base+"/admin/salons/new")

	v := salonFormValues(tok)
	v.Set("action", "q_add")
	resp, body := apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="q0_label"`) || strings.Contains(body, `name="q1_label"`) {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `value="Fintech founders"`) {
		t.Error("adding a question lost the salon's fields")
	}
	rows := func(v url.Values, qs ...[]string) {
		for i, q := range qs {
			p := "q" + string(rune('0'+i)) + "_"
			v.Set(p+"label", q[0])
			v.Set(p+"type", q[1])
			v.Set(p+"options", q[2])
			if len(q) > 3 {
				v.Set(p+"required", "on")
			}
		}
	}
	rows(v, []string{"Diet <script>alert(1)</script>", "choice", "None\r\nVegan\r\n"},
		[]string{"I agree to be photographed", "checkbox", "", "required"},
		[]string{"Leftover", "text", ""})
	v.Set("action", "q_up_1")
	_, body = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if i, j := strings.Index(body, "I agree to be photographed"), strings.Index(body, "Diet &lt;script&gt;"); i < 0 || j < 0 || i > j {
		t.Fatal("move up did not put the checkbox first")
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a question's label is not escaped in the editor")
	}
	v.Set("action", "q_remove_2")
	if _, body = apptest.PostForm(t, c, base+"/admin/salons/new", v); strings.Contains(body, "Leftover") {
		t.Fatal("remove kept the question")
	}
	if list, _ := ta.DB.FindSalons(ctx, events.SalonFilter{}); len(list) != 0 {
		t.Fatal("an editor button saved the salon")
	}

	// A bad question is named beside its field; a good form saves. The
	// form is posted as the editor left it: the checkbox first.
	v.Del("q2_label")
	v.Del("q2_type")
	v.Del("q2_options")
	v.Del("q1_required")
	rows(v, []string{"I agree to be photographed", "checkbox", "", "required"},
		[]string{"Diet <script>alert(1)</script>", "choice", "None\r\nVegan\r\n"})
	v.Set("q0_options", "x")
	v.Set("action", "publish")
	resp, body = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="q0_options-err"`) || !strings.Contains(body, "Only the two option answers have options.") {
		t.Fatalf("bad question: %d", resp.StatusCode)
	}
	v.Set("q0_options", "")
	// A blank row added and never filled in is dropped, not an error.
	v.Set("q2_type", "text")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 303 {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	sa, err := ta.DB.FindSalonBySlug(ctx, "fintech-founders")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(sa.Questions)
	want := `[{"id":"i-agree-to-be-photographed","label":"I agree to be photographed","type":"checkbox","required":true},` +
		`{"id":"diet-script-alert-1-script","label":"Diet \u003cscript\u003ealert(1)\u003c/script\u003e","type":"choice","options":["None","Vegan"],"required":false}]`
	if string(got) != want {
		t.Fatalf("saved questions %s\nwant %s", got, want)
	}

	// The edit form shows them again, keys kept; a post without the token
	// changes nothing.
	_, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders/edit")
	if !strings.Contains(body, `value="i-agree-to-be-photographed"`) || !strings.Contains(body, "None\nVegan</textarea>") {
		t.Fatal("the edit form lost the questions")
	}
	forged := url.Values{"q0_label": {"Forged"}, "q0_type": {"text"}, "title": {"Forged"}}
	if resp, _ := apptest.PostForm(t, c, base+"/admin/salons/fintech-founders/edit", forged); resp.StatusCode != 403 {
		t.Fatalf("post without the form's token: %d", resp.StatusCode)
	}
	if again, _ := ta.DB.FindSalonBySlug(ctx, "fintech-founders"); len(again.Questions) != 2 || again.Questions[0].Label == "Forged" {
		t.Fatal("a forged post changed the questions")
	}

	// The attendee list shows the answers in the console's language,
	// escaped; the door page never shows them.
	in := tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com", Answers: map[string]json.RawMessage{
		"i-agree-to-be-photographed": json.RawMessage(`true`), "diet-script-alert-1-script": json.RawMessage(`"Vegan"`)}}
	apptest.Guest(t, ta, sa.Slug, in)
	_, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders/attendees")
	for _, w := range []string{"<th scope=\"col\">Answers</th>", "<dt>I agree to be photographed</dt><dd>Yes</dd>",
		"<dt>Diet &lt;script&gt;alert(1)&lt;/script&gt;</dt><dd>Vegan</dd>"} {
		if !strings.Contains(body, w) {
			t.Errorf("want %s in the attendee list", w)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a question's label is not escaped in the attendee list")
	}
	if _, door := apptest.Get(t, c, base+"/door/fintech-founders"); strings.Contains(door, "Vegan") || strings.Contains(door, "photographed") {
		t.Error("the door page shows answers")
	}
}
