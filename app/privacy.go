package app

import "net/mail"

// privacyContact is the bare address the privacy page names:
// --privacy-contact, else the --mail-from address. Validate has refused
// either when it does not parse.
func privacyContact(cfg Config) string {
	for _, a := range []string{cfg.PrivacyContact, cfg.MailFrom} {
		if a == "" {
			continue
		}
		if addr, err := mail.ParseAddress(a); err == nil {
			return addr.Address
		}
	}
	return ""
}
