package events

import (
	"net/url"
	"strings"
	"time"
)

// maxLinkDescription caps the description carried in add-to-calendar links:
// Google and Outlook refuse or cut URLs of a few thousand bytes, and a
// Chinese description is nine bytes a character once percent-encoded. The
// salon page link always follows, so nothing is lost.
const maxLinkDescription = 300

// GoogleCalendarURL is an "add to Google Calendar" link for s. Times are sent
// in UTC, which Google converts exactly; ctz only picks the zone the form
// shows them in.
func GoogleCalendarURL(s *Salon, o CalendarOptions) string {
	q := [][2]string{
		{"action", "TEMPLATE"},
		{"text", cleanText(s.Title)},
		{"dates", s.StartsAt.UTC().Format(icalUTC) + "/" + linkEnd(s).UTC().Format(icalUTC)},
		{"details", linkDescription(s, o)},
		{"location", cleanText(salonLocation(s))},
		{"ctz", s.Location().String()},
	}
	return "https://calendar.google.com/calendar/render?" + encodeQuery(q)
}

// OutlookCalendarURL is an "add to Outlook.com" link for s (the deeplink
// compose form of outlook.live.com), with UTC times in ISO 8601.
func OutlookCalendarURL(s *Salon, o CalendarOptions) string {
	const iso = "2006-01-02T15:04:05Z"
	q := [][2]string{
		{"path", "/calendar/action/compose"},
		{"rru", "addevent"},
		{"subject", cleanText(s.Title)},
		{"startdt", s.StartsAt.UTC().Format(iso)},
		{"enddt", linkEnd(s).UTC().Format(iso)},
		{"body", linkDescription(s, o)},
		{"location", cleanText(salonLocation(s))},
	}
	return "https://outlook.live.com/calendar/0/deeplink/compose?" + encodeQuery(q)
}

// WebcalURL turns an http(s) feed address into the webcal:// form that
// makes browsers hand it to the calendar app as a subscription rather than
// download it once.
func WebcalURL(httpURL string) string {
	for _, scheme := range []string{"https://", "http://", "webcal://"} {
		if len(httpURL) >= len(scheme) && strings.EqualFold(httpURL[:len(scheme)], scheme) {
			return "webcal://" + httpURL[len(scheme):]
		}
	}
	return "webcal://" + httpURL
}

// linkEnd is the end sent in links; both services need one, so a salon
// without a proper end is given two hours.
func linkEnd(s *Salon) time.Time {
	if s.EndsAt.After(s.StartsAt) {
		return s.EndsAt
	}
	return s.StartsAt.Add(2 * time.Hour)
}

// linkDescription is the description cut to maxLinkDescription characters,
// then the salon page link.
func linkDescription(s *Salon, o CalendarOptions) string {
	d := []rune(strings.TrimSpace(cleanText(s.Description)))
	if len(d) > maxLinkDescription {
		d = append(d[:maxLinkDescription], '…')
	}
	return salonDescription(string(d), SalonURL(s, o))
}

// encodeQuery encodes pairs in the given order with %20 for spaces: Outlook
// shows a '+' from url.Values.Encode literally in the subject.
func encodeQuery(q [][2]string) string {
	var b strings.Builder
	for i, kv := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(url.QueryEscape(kv[1]), "+", "%20"))
	}
	return b.String()
}
