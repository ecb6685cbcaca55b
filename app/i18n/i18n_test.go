package i18n_test

import (
	"testing"

	"salon/app/i18n"
)

func TestT(t *testing.T) {
	for _, tc := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "list.seats_left", []any{1}, "1 seat left"},
		{"en", "list.seats_left", []any{28}, "28 seats left"},
		{"en", "mail.waitlisted", []any{"Law night", 3}, "Law night is full, so you are on the waitlist, at position 3."},
		{"xx", "form.name", nil, "Name"},
	} {
		if got := i18n.T(tc.lang, tc.key, tc.args...); got != tc.want {
			t.Errorf("T(%s, %s) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

func TestMatch(t *testing.T) {
	for give, want := range map[string]string{
		"":                                "en",
		"zh-CN,zh;q=0.9,en;q=0.8":         "zh",
		"en-US,en;q=0.9":                  "en",
		"fr-FR":                           "en",
		"zh-TW":                           "zh",
		"de;q=0.9, zh-Hans;q=0.5, xx;q=1": "zh",
		"garbage;;;":                      "en",
	} {
		if got := i18n.Match(give); got != want {
			t.Errorf("Match(%q) = %q, want %q", give, got, want)
		}
	}
}

// TestCatalogueParity fails when a key exists in one language and not the
// other, so no screen falls back to English unnoticed.
func TestCatalogueParity(t *testing.T) {
	en, zh := map[string]bool{}, map[string]bool{}
	for _, k := range i18n.Keys() {
		en[k] = true
	}
	for _, k := range i18n.ChineseKeys() {
		zh[k] = true
		if !en[k] {
			t.Errorf("key %q is in the Chinese catalogue but not the English one", k)
		}
	}
	for k := range en {
		if !zh[k] {
			t.Errorf("key %q has no Chinese translation", k)
		}
	}
}

func TestChinese(t *testing.T) {
	if got := i18n.T("zh", "list.seats_left", 3); got != "剩余 3 个座位" {
		t.Fatalf("%q", got)
	}
	if got := i18n.T("zh", "mail.waitlisted", "法律之夜", 2); got != "「法律之夜」已满，你在候补名单第 2 位。" {
		t.Fatalf("%q", got)
	}
}
