package wallet

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/smallstep/pkcs7"

	"salon/events"
	"salon/tickets"
)

// ContentType is the media type Safari and Mail open in Wallet.
const ContentType = "application/vnd.apple.pkpass"

// Pass is what one pass shows. The caller fills it from a salon and a
// confirmed ticket, with labels in the holder's language.
type Pass struct {
	// Serial is unique among this pass type's passes: the ticket id.
	Serial string
	// Code is the ticket code exactly as the QR image holds it, so the
	// door scanner reads the pass like the image.
	Code string
	// Organization is who issues the pass, shown on the lock screen.
	Organization string
	// Description is read out by VoiceOver.
	Description string
	Title       string
	Holder      string
	Venue       string
	Address     string
	// Starts and Ends are in the salon's zone; the pass shows the time
	// there, wherever the phone is.
	Starts, Ends time.Time
	// URL is the ticket page, on the back of the pass.
	URL    string
	Labels Labels
}

// Labels are the field labels in the holder's language.
type Labels struct {
	Event, When, Venue, Address, Holder, Ticket string
}

// EnglishLabels are used for any label left empty.
var EnglishLabels = Labels{Event: "Event", When: "When", Venue: "Venue", Address: "Address", Holder: "Name", Ticket: "Ticket"}

type field struct {
	Key             string `json:"key"`
	Label           string `json:"label,omitempty"`
	Value           string `json:"value"`
	DateStyle       string `json:"dateStyle,omitempty"`
	TimeStyle       string `json:"timeStyle,omitempty"`
	IgnoresTimeZone bool   `json:"ignoresTimeZone,omitempty"`
}

type barcode struct {
	Format          string `json:"format"`
	Message         string `json:"message"`
	MessageEncoding string `json:"messageEncoding"`
}

type structure struct {
	PrimaryFields   []field `json:"primaryFields"`
	SecondaryFields []field `json:"secondaryFields,omitempty"`
	AuxiliaryFields []field `json:"auxiliaryFields,omitempty"`
	BackFields      []field `json:"backFields,omitempty"`
}

// passJSON is pass.json as Apple's PassKit documents it.
type passJSON struct {
	FormatVersion      int       `json:"formatVersion"`
	PassTypeIdentifier string    `json:"passTypeIdentifier"`
	TeamIdentifier     string    `json:"teamIdentifier"`
	SerialNumber       string    `json:"serialNumber"`
	OrganizationName   string    `json:"organizationName"`
	Description        string    `json:"description"`
	RelevantDate       string    `json:"relevantDate,omitempty"`
	ExpirationDate     string    `json:"expirationDate,omitempty"`
	SharingProhibited  bool      `json:"sharingProhibited"`
	ForegroundColor    string    `json:"foregroundColor"`
	BackgroundColor    string    `json:"backgroundColor"`
	LabelColor         string    `json:"labelColor"`
	Barcodes           []barcode `json:"barcodes"`
	EventTicket        structure `json:"eventTicket"`
}

// w3c is the date form pass.json takes: ISO 8601 with the zone's offset.
const w3c = time.RFC3339

func (s *Signer) passJSON(p Pass) ([]byte, error) {
	l := p.Labels.orEnglish()
	when := field{Key: "when", Label: l.When, Value: p.Starts.Format(w3c),
		DateStyle: "PKDateStyleMedium", TimeStyle: "PKDateStyleShort", IgnoresTimeZone: true}
	st := structure{
		PrimaryFields:   []field{{Key: "event", Label: l.Event, Value: p.Title}},
		SecondaryFields: []field{when},
		AuxiliaryFields: []field{{Key: "holder", Label: l.Holder, Value: p.Holder}},
	}
	if p.Venue != "" {
		st.AuxiliaryFields = append(st.AuxiliaryFields, field{Key: "venue", Label: l.Venue, Value: p.Venue})
	}
	if p.Address != "" {
		st.BackFields = append(st.BackFields, field{Key: "address", Label: l.Address, Value: p.Address})
	}
	if p.URL != "" {
		st.BackFields = append(st.BackFields, field{Key: "ticket", Label: l.Ticket, Value: p.URL})
	}
	pj := passJSON{
		FormatVersion:      1,
		PassTypeIdentifier: s.passTypeID,
		TeamIdentifier:     s.teamID,
		SerialNumber:       p.Serial,
		OrganizationName:   p.Organization,
		Description:        p.Description,
		RelevantDate:       p.Starts.Format(w3c),
		// The pass holds a personal entry code: it is not for forwarding.
		SharingProhibited: true,
		ForegroundColor:   "rgb(255, 255, 255)",
		BackgroundColor:   "rgb(27, 27, 31)",
		LabelColor:        "rgb(196, 196, 208)",
		// Ticket codes are upper-case base32, within ISO 8859-1, which
		// is what the door scanner decodes the image's bytes as too.
		Barcodes:    []barcode{{Format: "PKBarcodeFormatQR", Message: p.Code, MessageEncoding: "iso-8859-1"}},
		EventTicket: st,
	}
	if !p.Ends.IsZero() {
		// Wallet greys the pass out once the salon is over.
		pj.ExpirationDate = p.Ends.Format(w3c)
	}
	return json.MarshalIndent(pj, "", "  ")
}

func (l Labels) orEnglish() Labels {
	pick := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	e := EnglishLabels
	return Labels{Event: pick(l.Event, e.Event), When: pick(l.When, e.When), Venue: pick(l.Venue, e.Venue),
		Address: pick(l.Address, e.Address), Holder: pick(l.Holder, e.Holder), Ticket: pick(l.Ticket, e.Ticket)}
}

// Build writes the signed .pkpass: a zip of pass.json, the icons,
// manifest.json (the SHA-1 of every other file, as Wallet checks it) and
// signature.
func (s *Signer) Build(p Pass) ([]byte, error) {
	if p.Code == "" || p.Serial == "" {
		return nil, fmt.Errorf("wallet: a pass needs a serial number and a code")
	}
	pj, err := s.passJSON(p)
	if err != nil {
		return nil, fmt.Errorf("wallet: pass.json: %w", err)
	}
	files := []struct {
		name string
		body []byte
	}{{"pass.json", pj}, {"icon.png", icon1x}, {"icon@2x.png", icon2x}, {"icon@3x.png", icon3x}}
	manifest := make(map[string]string, len(files))
	for _, f := range files {
		sum := sha1.Sum(f.body)
		manifest[f.name] = hex.EncodeToString(sum[:])
	}
	mj, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("wallet: manifest: %w", err)
	}
	sig, err := s.sign(mj)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, body []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	for _, f := range files {
		if err := add(f.name, f.body); err != nil {
			return nil, fmt.Errorf("wallet: zip: %w", err)
		}
	}
	if err := add("manifest.json", mj); err != nil {
		return nil, fmt.Errorf("wallet: zip: %w", err)
	}
	if err := add("signature", sig); err != nil {
		return nil, fmt.Errorf("wallet: zip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("wallet: zip: %w", err)
	}
	return buf.Bytes(), nil
}

// sign makes the detached PKCS#7 signature of the manifest. The WWDR
// intermediate goes in with the pass certificate, since Wallet trusts only
// Apple's root and the phone has no other way to build the chain. The
// signing time is a signed attribute, as Wallet expects.
func (s *Signer) sign(manifest []byte) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(manifest)
	if err != nil {
		return nil, fmt.Errorf("wallet: sign: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(s.cert, s.key, []*x509.Certificate{s.wwdr}, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("wallet: sign: %w", err)
	}
	sd.Detach()
	sig, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("wallet: sign: %w", err)
	}
	return sig, nil
}

// ForTicket is the pass of a confirmed ticket to a salon: code is the
// ticket's code as its QR image holds it, url its page, organization who
// issues it, and labels in the holder's language.
func ForTicket(sa *events.Salon, t *tickets.Ticket, code, organization, url string, labels Labels, description string) Pass {
	loc := sa.Location()
	return Pass{Serial: strconv.FormatInt(t.ID, 10), Code: code, Organization: organization, Description: description,
		Title: sa.Title, Holder: t.Name, Venue: sa.Venue, Address: sa.Address,
		Starts: sa.StartsAt.In(loc), Ends: sa.EndsAt.In(loc), URL: url, Labels: labels}
}
