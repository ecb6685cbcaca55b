package i18n

import "sync"

// englishOrganizer is the text of the organizer's tools: messages to
// guests, duplicating a salon, the reminder setting, readable outbox rows.
var englishOrganizer = map[string]string{
	"mail.subject.message": "%s: %s",
	"mail.message_lead":    "A message from the organizers of %s:",
	"mail.message_reply":   "You can reply to this mail to reach the organizers.",
	"mail.salon_link":      "The salon's page: %s",
	"mail.salon_link_html": "The salon's page",

	"audit.salon.message":                 "messaged the guests",
	"console.messages":                    "Message guests",
	"console.message_help":                "Each guest gets one mail in their own language, with links to the salon's page and their ticket. A salon can send %d messages in 24 hours.",
	"console.message_left":                "Messages left for the next 24 hours: %d.",
	"console.message.subject":             "Subject",
	"console.message.body":                "Message",
	"console.message.to":                  "To",
	"console.message.to.confirmed":        "Confirmed guests (%d)",
	"console.message.to.waitlisted":       "Guests on the waitlist (%d)",
	"console.message.to.all":              "Everyone with a place: confirmed and waitlisted (%d)",
	"console.message.audience.confirmed":  "confirmed guests",
	"console.message.audience.waitlisted": "waitlisted guests",
	"console.message.audience.all":        "confirmed and waitlisted guests",
	"console.message.send":                "Send message",
	"console.message.sent_before":         "Sent before",
	"console.message.none":                "No messages sent yet.",
	"console.message.row":                 "%s · %s · to %s, guests reached: %d",
	"console.ok.message":                  "Message queued. Guests it goes to: %d.",
	"console.ok.message_none":             "Nobody is in that group, so nothing was sent.",
	"console.err.audience":                "Choose who gets the message.",
	"console.err.too_many_messages":       "This salon has sent its messages for the last 24 hours; try again later.",

	"console.duplicate":         "Duplicate as a new draft",
	"console.duplicate_help":    "Copies the salon without its guests, as a draft, with every date a week later.",
	"console.ok.duplicated":     "This is the copy, saved as a draft. Check its dates, then publish it.",
	"console.ok.saved_notified": "Saved. Guests who will be told of the change: %d.",
	"console.edit_notice_n":     "Saving a change of time, place or title mails every guest on the list (%d now).",

	"console.audit_changed":    "changed",
	"console.f.reminder":       "Reminder mail",
	"console.f.reminder_help":  "When guests get a reminder before the salon starts.",
	"console.reminder.0":       "No reminder",
	"console.reminder.60":      "1 hour before",
	"console.reminder.120":     "2 hours before",
	"console.reminder.180":     "3 hours before",
	"console.reminder.360":     "6 hours before",
	"console.reminder.720":     "12 hours before",
	"console.reminder.1440":    "1 day before",
	"console.reminder.2880":    "2 days before",
	"console.reminder.4320":    "3 days before",
	"console.reminder.10080":   "1 week before",
	"console.reminder.minutes": "%d minutes before",

	"console.kind.confirmed":          "Confirmation",
	"console.kind.waitlisted":         "Waitlist notice",
	"console.kind.promoted":           "Seat opened up",
	"console.kind.already_registered": "Ticket sent again",
	"console.kind.ticket_cancelled":   "Cancellation",
	"console.kind.salon_changed":      "Change notice",
	"console.kind.salon_cancelled":    "Salon cancelled",
	"console.kind.reminder":           "Reminder",
	"console.kind.invitation":         "Account link",
	"console.kind.message":            "Message from the organizers",
	"console.kind.other":              "Notice",

	"console.mailerr.erased":        "Not sent: the guest's personal data was erased.",
	"console.mailerr.bad_recipient": "The guest's address cannot receive mail.",
	"console.mailerr.bad_sender":    "The sender address is not valid; check the --mail-from setting.",
	"console.mailerr.gone":          "Not sent: the salon, the ticket or the message no longer exists.",
	"console.mailerr.link_used":     "Not sent: the link was used or replaced, or the account disabled.",
	"console.mailerr.build":         "The mail could not be put together; the server log has the details.",
	"console.mailerr.unreachable":   "The mail server could not be reached.",
	"console.mailerr.tls":           "A secure connection to the mail server failed.",
	"console.mailerr.auth":          "The mail server refused our sign-in; check the --smtp setting.",
	"console.mailerr.refused":       "The receiving mail server refused it (code %d).",
	"console.mailerr.deferred":      "The mail server asked us to try later (code %d).",
	"console.mailerr.gave_up":       "Given up after %d attempts.",
	"console.mailerr.other":         "Sending failed; the server log has the details.",
}

// chineseOrganizer is englishOrganizer in Simplified Chinese, key for key.
var chineseOrganizer = map[string]string{
	"mail.subject.message": "%s：%s",
	"mail.message_lead":    "「%s」组织者给你的消息：",
	"mail.message_reply":   "直接回复这封邮件即可联系组织者。",
	"mail.salon_link":      "沙龙页面：%s",
	"mail.salon_link_html": "沙龙页面",

	"audit.salon.message":                 "给嘉宾发了消息",
	"console.messages":                    "给嘉宾发消息",
	"console.message_help":                "每位嘉宾会收到一封用其语言书写的邮件，附有沙龙页面和门票的链接。每场沙龙 24 小时内最多发送 %d 条消息。",
	"console.message_left":                "未来 24 小时内还可发送 %d 条消息。",
	"console.message.subject":             "主题",
	"console.message.body":                "内容",
	"console.message.to":                  "发给",
	"console.message.to.confirmed":        "已确认的嘉宾（%d）",
	"console.message.to.waitlisted":       "候补名单上的嘉宾（%d）",
	"console.message.to.all":              "所有有名额的人：已确认和候补（%d）",
	"console.message.audience.confirmed":  "已确认的嘉宾",
	"console.message.audience.waitlisted": "候补嘉宾",
	"console.message.audience.all":        "已确认和候补的嘉宾",
	"console.message.send":                "发送消息",
	"console.message.sent_before":         "已发送",
	"console.message.none":                "还没有发过消息。",
	"console.message.row":                 "%s · %s · 发给%s，共 %d 人",
	"console.ok.message":                  "消息已排队，将发给 %d 位嘉宾。",
	"console.ok.message_none":             "这一组里没有人，所以没有发送。",
	"console.err.audience":                "请选择消息发给谁。",
	"console.err.too_many_messages":       "这场沙龙在过去 24 小时内的消息已发完，请稍后再试。",

	"console.duplicate":         "复制为新草稿",
	"console.duplicate_help":    "复制这场沙龙（不含嘉宾），存为草稿，所有日期推后一周。",
	"console.ok.duplicated":     "这是复制出的草稿。请核对日期，然后发布。",
	"console.ok.saved_notified": "已保存。将通知 %d 位嘉宾这次更改。",
	"console.edit_notice_n":     "保存时间、地点或标题的更改会给名单上的每位嘉宾发邮件（目前 %d 位）。",

	"console.audit_changed":    "已修改",
	"console.f.reminder":       "提醒邮件",
	"console.f.reminder_help":  "沙龙开始前多久给嘉宾发提醒。",
	"console.reminder.0":       "不发提醒",
	"console.reminder.60":      "提前 1 小时",
	"console.reminder.120":     "提前 2 小时",
	"console.reminder.180":     "提前 3 小时",
	"console.reminder.360":     "提前 6 小时",
	"console.reminder.720":     "提前 12 小时",
	"console.reminder.1440":    "提前 1 天",
	"console.reminder.2880":    "提前 2 天",
	"console.reminder.4320":    "提前 3 天",
	"console.reminder.10080":   "提前 1 周",
	"console.reminder.minutes": "提前 %d 分钟",

	"console.kind.confirmed":          "报名确认",
	"console.kind.waitlisted":         "候补通知",
	"console.kind.promoted":           "递补成功",
	"console.kind.already_registered": "重发门票",
	"console.kind.ticket_cancelled":   "取消报名",
	"console.kind.salon_changed":      "变更通知",
	"console.kind.salon_cancelled":    "沙龙取消",
	"console.kind.reminder":           "提醒",
	"console.kind.invitation":         "账号链接",
	"console.kind.message":            "组织者消息",
	"console.kind.other":              "通知",

	"console.mailerr.erased":        "未发送：该嘉宾的个人信息已删除。",
	"console.mailerr.bad_recipient": "嘉宾的邮箱地址无法收信。",
	"console.mailerr.bad_sender":    "发件地址无效，请检查 --mail-from 设置。",
	"console.mailerr.gone":          "未发送：沙龙、门票或消息已不存在。",
	"console.mailerr.link_used":     "未发送：链接已被使用或替换，或账号已停用。",
	"console.mailerr.build":         "邮件无法生成，详情见服务器日志。",
	"console.mailerr.unreachable":   "无法连接邮件服务器。",
	"console.mailerr.tls":           "与邮件服务器建立安全连接失败。",
	"console.mailerr.auth":          "邮件服务器拒绝了登录，请检查 --smtp 设置。",
	"console.mailerr.refused":       "收件方邮件服务器拒收（代码 %d）。",
	"console.mailerr.deferred":      "邮件服务器要求稍后重试（代码 %d）。",
	"console.mailerr.gave_up":       "尝试 %d 次后放弃。",
	"console.mailerr.other":         "发送失败，详情见服务器日志。",
}

var (
	keySetOnce sync.Once
	keySet     map[string]bool
)

// Has reports whether key is in the English catalogue, for text whose key
// is made from data (a notice kind) and needs a fallback.
func Has(key string) bool {
	keySetOnce.Do(func() {
		keySet = make(map[string]bool, len(allKeys))
		for _, k := range allKeys {
			keySet[k] = true
		}
	})
	return keySet[key]
}
