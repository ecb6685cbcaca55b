package i18n

// chineseTicket is englishTicket in Simplified Chinese.
var chineseTicket = map[string]string{
	"ticket.cancel_confirm":          "确定取消报名？",
	"ticket.effect_seat_to_waitlist": "你的座位会让给候补名单上的下一位。",
	"ticket.effect_seat_freed":       "你的座位将空出，留给其他人。",
	"ticket.effect_leave_waitlist":   "你将退出候补名单，放弃第%d位的排位。",
	"ticket.cancel_undo":             "此操作无法撤销；报名开放期间你可以重新报名。",
	"ticket.cancel_yes":              "确定取消报名",
	"ticket.cancel_keep":             "不取消，保留报名",
	"ticket.updated":                 "本场沙龙已于%s更新，请核对上方的时间和地点。",
	"ticket.rsvp_again_lead":         "改变主意了？",
	"ticket.rsvp_again":              "重新报名",
}
