package tickets_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"salon/events"
	"salon/tickets"
)

func TestRSVPInputValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     tickets.RSVPInput
		fields string // comma-separated bad fields, "" for valid
	}{
		{"valid", tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com"}, ""},
		{"chinese name", tickets.RSVPInput{Name: "李娜", Email: "li@example.cn", Company: "蚂蚁集团"}, ""},
		{"missing name", tickets.RSVPInput{Email: "ana@example.com"}, "name"},
		{"missing email", tickets.RSVPInput{Name: "Ana"}, "email"},
		{"display name in email", tickets.RSVPInput{Name: "Ana", Email: "Ana <ana@example.com>"}, "email"},
		{"no domain dot", tickets.RSVPInput{Name: "Ana", Email: "ana@localhost"}, "email"},
		{"two ats", tickets.RSVPInput{Name: "Ana", Email: "a@b@example.com"}, "email"},
		{"long name", tickets.RSVPInput{Name: strings.Repeat("n", 201), Email: "a@example.com"}, "name"},
		{"LF in name", tickets.RSVPInput{Name: "A\nB", Email: "a@example.com"}, "name"},
		{"CR in company", tickets.RSVPInput{Name: "A", Email: "a@example.com", Company: "x\ry"}, "company"},
		{"NUL in job", tickets.RSVPInput{Name: "A", Email: "a@example.com", JobTitle: "x\x00"}, "job_title"},
		{"line separator", tickets.RSVPInput{Name: "A\u2028B", Email: "a@example.com"}, "name"},
		{"bad utf8", tickets.RSVPInput{Name: "\xff", Email: "a@example.com"}, "name"},
		{"li bai", tickets.RSVPInput{Name: "李白", Email: "li@example.cn"}, ""},
		{"diaeresis", tickets.RSVPInput{Name: "Zoë", Email: "zoe@example.com"}, ""},
		{"apostrophe", tickets.RSVPInput{Name: "O'Neil", Email: "o@example.com"}, ""},
		{"lone quote", tickets.RSVPInput{Name: `Li, "Bo`, Email: "bo@example.com"}, ""},
		{"only zero-width", tickets.RSVPInput{Name: "\u200b\u200d", Email: "a@example.com"}, "name"},
		{"only hangul filler", tickets.RSVPInput{Name: "\u3164", Email: "a@example.com"}, "name"},
		{"spoofing override", tickets.RSVPInput{Name: "Ana\u202e moc.live@ssap", Email: "a@example.com"}, "name"},
		{"isolate in company", tickets.RSVPInput{Name: "A", Email: "a@example.com", Company: "\u2067Acme"}, "company"},
		{"invisible job title", tickets.RSVPInput{Name: "A", Email: "a@example.com", JobTitle: "\ufeff"}, "job_title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Normalize()
			err := in.Validate()
			var got []string
			if e, ok := err.(*events.Error); ok {
				for f := range e.Fields {
					got = append(got, f)
				}
			} else if err != nil {
				t.Fatalf("unexpected error type %T", err)
			}
			if strings.Join(got, ",") != tc.fields {
				t.Fatalf("bad fields %v, want %q (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	in := tickets.RSVPInput{Name: "  Ana \u00a0 Lima  ", Email: " Alice@Example.COM ", Lang: "zh-CN"}
	in.Normalize()
	if in.Name != "Ana Lima" || in.Email != "alice@example.com" || in.Lang != "zh" {
		t.Fatalf("%+v", in)
	}
	for give, want := range map[string]string{"": "en", "en-GB": "en", "fr": "en", "ZH": "zh", "zh_TW": "zh"} {
		if got := tickets.NormalizeLang(give); got != want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		capacity, confirmed, seats int
		ahead, waitlist            bool
		want, code                 string
	}{
		{"seat free", 10, 9, 1, false, true, tickets.StatusConfirmed, ""},
		{"last seat", 1, 0, 1, false, false, tickets.StatusConfirmed, ""},
		{"full with waitlist", 10, 10, 1, false, true, tickets.StatusWaitlisted, ""},
		{"full without waitlist", 10, 10, 1, false, false, "", events.ESALONFULL},
		{"capacity lowered below confirmed", 5, 8, 1, false, true, tickets.StatusWaitlisted, ""},
		{"party fits exactly", 10, 7, 3, false, true, tickets.StatusConfirmed, ""},
		{"party one seat short waits", 10, 8, 3, false, true, tickets.StatusWaitlisted, ""},
		{"party one seat short, no waitlist", 10, 8, 3, false, false, "", events.ESALONFULL},
		{"fits, but someone waits ahead", 10, 8, 1, true, true, tickets.StatusWaitlisted, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tickets.Decide(tc.capacity, tc.confirmed, tc.seats, tc.ahead, tc.waitlist)
			if got != tc.want || events.ErrorCode(err) != tc.code {
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
	for _, tc := range []struct{ capacity, confirmed, waiting, want int }{
		{10, 8, 5, 2}, {10, 8, 1, 1}, {10, 10, 5, 0}, {5, 8, 5, 0}, {10, 0, 0, 0},
	} {
		if got := tickets.Promotions(tc.capacity, tc.confirmed, tc.waiting); got != tc.want {
			t.Errorf("Promotions(%d,%d,%d) = %d, want %d", tc.capacity, tc.confirmed, tc.waiting, got, tc.want)
		}
	}
}

func TestDecideNew(t *testing.T) {
	for _, tc := range []struct {
		name       string
		salon      events.Salon
		seats      int
		want, code string
	}{
		{"approval, seats free", events.Salon{Capacity: 5, Approval: true}, 2, tickets.StatusPending, ""},
		{"approval, full with waitlist", events.Salon{Capacity: 5, Confirmed: 5, Waitlist: true, Approval: true}, 1, tickets.StatusPending, ""},
		{"approval, can never fit", events.Salon{Capacity: 5, Confirmed: 4, Approval: true}, 2, "", events.ESALONFULL},
		{"no approval", events.Salon{Capacity: 5, Confirmed: 3}, 2, tickets.StatusConfirmed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tickets.DecideNew(&tc.salon, tc.seats)
			if got != tc.want || events.ErrorCode(err) != tc.code {
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
}

func TestGuestsBounds(t *testing.T) {
	for _, tc := range []struct {
		guests, max int
		ok          bool
	}{{0, 0, true}, {1, 0, false}, {2, 2, true}, {3, 2, false}, {-1, 2, false}} {
		err := tickets.CheckGuests(tc.guests, tc.max)
		var fe *events.Error
		if tc.ok != (err == nil) || (err != nil && (!errors.As(err, &fe) || fe.Fields["guests"] == "")) {
			t.Errorf("CheckGuests(%d, %d) = %v", tc.guests, tc.max, err)
		}
	}
	in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com", Guests: tickets.MaxGuests + 1}
	if err := in.Validate(); err == nil || !strings.Contains(err.(*events.Error).Fields["guests"], "between") {
		t.Fatalf("too many guests: %v", err)
	}
	if err := tickets.CheckPending(tickets.StatusConfirmed); events.ErrorCode(err) != events.EINVALID || err.(*events.Error).Fields["status"] == "" {
		t.Fatalf("CheckPending(confirmed) = %v", err)
	}
}

func TestTokens(t *testing.T) {
	a, b := tickets.NewToken(), tickets.NewToken()
	if a == b || len(a) < 22 || !tickets.ValidTokenShape(a) {
		t.Fatalf("tokens %q %q", a, b)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	salt := []byte("salt-salt-salt-1")
	m := tickets.ManageToken(key, 77, salt)
	if m != tickets.ManageToken(key, 77, salt) || m == tickets.ManageToken(key, 77, []byte("salt-salt-salt-2")) ||
		m == tickets.ManageToken([]byte("other"), 77, salt) || m == tickets.ManageToken(key, 78, salt) {
		t.Fatal("manage tokens must be stable per id, salt and key and differ otherwise")
	}
	if !tickets.ValidTokenShape(m) || tickets.TokenTicketID(m) != 77 || tickets.IsLegacyManageToken(m) {
		t.Fatalf("manage token %q names ticket %d", m, tickets.TokenTicketID(m))
	}
	// A legacy token is the HMAC part alone: never read as an id.
	legacy := tickets.LegacyManageToken(key, salt)
	if !tickets.IsLegacyManageToken(legacy) || tickets.TokenTicketID(legacy) != 0 || !strings.HasSuffix(m, legacy) {
		t.Fatalf("legacy token %q", legacy)
	}
	if !tickets.SameToken(m, tickets.ManageToken(key, 77, salt)) || tickets.SameToken(m, legacy) {
		t.Fatal("SameToken")
	}
	f1 := tickets.FeedToken(key, 12345, "a@example.com", 1)
	if f1 == tickets.FeedToken(key, 12345, "a@example.com", 2) || f1 == tickets.FeedToken(key, 12345, "b@example.com", 1) {
		t.Fatal("revoking a feed, or another email, must change its token")
	}
	if !tickets.ValidTokenShape(f1) || tickets.TokenTicketID(f1) != 12345 {
		t.Fatalf("feed token %q names ticket %d", f1, tickets.TokenTicketID(f1))
	}
	for _, bad := range []string{"", "short", f1[:10], "!" + f1, "-1" + f1[len(f1)-27:]} {
		if tickets.TokenTicketID(bad) != 0 {
			t.Errorf("TokenTicketID(%q) = %d", bad, tickets.TokenTicketID(bad))
		}
	}
	if tickets.HashToken(a) == a || len(tickets.HashToken(a)) != 64 {
		t.Fatal("hash")
	}
	for _, bad := range []string{"", "short", "has space in it 1234567890", "../../etc/passwd/aaaaaaaaaaa", strings.Repeat("a", 65)} {
		if tickets.ValidTokenShape(bad) {
			t.Errorf("ValidTokenShape(%q)", bad)
		}
	}
}

// FuzzRSVPInput feeds arbitrary form input through Normalize and Validate:
// nothing panics, and whatever is accepted is safe to put in a mail header,
// a CSV row or a calendar line.
func FuzzRSVPInput(f *testing.F) {
	f.Add("Ana Lima", "ana@example.com", "Acme", "CTO", "en")
	f.Add("李娜", " Li@Example.CN ", "", "", "zh-CN")
	f.Add("a\r\nBcc: x@evil.example", "x@example.com\r\n", "=HYPERLINK()", "\x00", "")
	f.Add("Ana\u202e moc.live@ssap", "a@example.com", "\u2066Acme\u2069", "\u200b", "en")
	f.Add("\u3164\u200b", "a@example.com", "", "", "")
	f.Add(`Li, "Bo`, "bo@example.com", "=?utf-8?q?Acme?=", "O'Neil  &  Zoë", "zh")
	f.Fuzz(func(t *testing.T, name, email, company, job, lang string) {
		in := tickets.RSVPInput{Name: name, Email: email, Company: company, JobTitle: job, Lang: lang}
		in.Normalize()
		if err := in.Validate(); err != nil {
			if events.ErrorCode(err) != events.EINVALID {
				t.Fatalf("error code %q", events.ErrorCode(err))
			}
			return
		}
		for _, s := range []string{in.Name, in.Email, in.Company, in.JobTitle} {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
			visible := s == ""
			for _, r := range s {
				if unicode.IsControl(r) {
					t.Fatalf("accepted control character in %q", s)
				}
				if (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
					t.Fatalf("accepted a text direction control in %q", s)
				}
				if !unicode.IsSpace(r) && !unicode.In(r, unicode.Cf, unicode.Zs, unicode.Other_Default_Ignorable_Code_Point) {
					visible = true
				}
			}
			if !visible {
				t.Fatalf("accepted %q, which shows nothing", s)
			}
		}
		if strings.Contains(in.Name, "  ") {
			t.Fatalf("accepted a run of spaces in the name %q", in.Name)
		}
		if in.Name == "" || in.Email != strings.ToLower(in.Email) || strings.TrimSpace(in.Email) != in.Email {
			t.Fatalf("accepted %+v", in)
		}
		if in.Lang != "en" && in.Lang != "zh" {
			t.Fatalf("lang %q", in.Lang)
		}
	})
}
