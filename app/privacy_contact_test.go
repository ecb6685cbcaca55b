package app

import "testing"

// TestPrivacyContact: --privacy-contact must be an address, and the
// privacy page names it bare, or else the --mail-from address.
func TestPrivacyContact(t *testing.T) {
	for _, tc := range []struct {
		name, contact, from, want string
		bad                       bool
	}{
		{"default", "", "", "no-reply@localhost", false},
		{"mail-from", "", "Salon 沙龙 <hello@salon.example>", "hello@salon.example", false},
		{"contact", "Privacy <dpo@salon.example>", "Salon <hello@salon.example>", "dpo@salon.example", false},
		{"bare contact", "dpo@salon.example", "", "dpo@salon.example", false},
		{"not an address", "call us", "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{DB: "x.db", BaseURL: "https://salon.example", MailFrom: tc.from, PrivacyContact: tc.contact}
			err := cfg.Validate()
			if tc.bad {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := privacyContact(cfg); got != tc.want {
				t.Fatalf("contact %q, want %q", got, tc.want)
			}
		})
	}
}
