package site_test

import (
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestRSVPForm_ErrorsOnSalonURL: a form with errors comes back on the
// salon's own address (post/redirect/get), with a summary linking to the
// fields, the first bad field focused and what was typed kept; only once,
// and only for the person who typed it.
func TestRSVPForm_ErrorsOnSalonURL(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":3`)
	base := ta.Listen()
	c := apptest.Browser(t)
	_, body := apptest.Get(t, c, base+"/salons/"+slug)
	csrf := apptest.CSRFRE.FindStringSubmatch(body)[1]

	resp, _ := apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {""}, "email": {"nope"}, "company": {`Acme "<b>"`}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("form with errors: %d to %q, want 303 to the salon page", resp.StatusCode, resp.Header.Get("Location"))
	}
	status, page := apptest.Get(t, c, base+"/salons/"+slug)
	for _, want := range []string{
		`class="error-summary"`, `href="#name"`, `href="#email"`,
		`id="name" name="name" required maxlength="200" autocomplete="name" value="" aria-invalid="true" aria-describedby="name-err" autofocus>`,
		`value="nope" aria-invalid="true"`, `value="Acme &#34;&lt;b&gt;&#34;"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("want %s on the page (%d)", want, status)
		}
	}
	if strings.Count(page, " autofocus") != 1 {
		t.Errorf("%d fields have autofocus, want 1", strings.Count(page, " autofocus"))
	}
	// Another reader of the page sees none of it, and a reload is a clean form.
	if _, other := apptest.Get(t, apptest.Browser(t), base+"/salons/"+slug); strings.Contains(other, "nope") || strings.Contains(other, "error-summary") {
		t.Error("another reader sees the errors")
	}
	if _, again := apptest.Get(t, c, base+"/salons/"+slug); strings.Contains(again, "nope") {
		t.Error("the errors outlive one showing")
	}

	// A shared link to the form's address leads to the salon.
	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana"}, "email": {"ana@example.com"}})
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/t/") {
		t.Fatalf("rsvp: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	r, err := c.Get(base + "/salons/" + slug + "/rsvp")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode/100 != 3 || r.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("GET of the form's address: %d %q", r.StatusCode, r.Header.Get("Location"))
	}

	// The same email again is told what happened, in words for a person.
	for lang, want := range map[string]string{"en": "You have already RSVPed with this email. We have sent your ticket link to it again", "zh": "你已用这个邮箱报过名。我们已把门票链接重新发到该邮箱"} {
		apptest.Get(t, c, base+"/lang/"+lang+"?next=/salons/"+slug)
		_, body = apptest.Get(t, c, base+"/salons/"+slug)
		csrf = apptest.CSRFRE.FindStringSubmatch(body)[1]
		resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana"}, "email": {"ANA@example.com"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/salons/"+slug {
			t.Fatalf("%s duplicate: %d %q", lang, resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page = apptest.Get(t, c, base+"/salons/"+slug)
		if !strings.Contains(page, want) || !strings.Contains(page, `value="ANA@example.com"`) {
			t.Errorf("%s duplicate: want %q on the page", lang, want)
		}
	}
}
