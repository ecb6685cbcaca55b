package i18n

// The privacy page, the footer link to it, the one-time link over every
// ticket of an address (its offer, page and mail) and the console's
// retention dates. They join the catalogues while the package's variables
// are set, before init builds the catalogues, so no other file lists them.
var _ = func() bool {
	englishParts = append(englishParts, englishPrivacyPage)
	chineseParts = append(chineseParts, chinesePrivacyPage)
	return true
}()

var englishPrivacyPage = map[string]string{
	"footer.privacy": "Privacy",

	"privacy.title":         "Privacy and your personal data",
	"privacy.erased_all":    "Your personal data was erased from every ticket of your address.",
	"privacy.intro":         "Salon takes RSVPs for the salons organizers run on this server. This page says what it keeps about guests, and how you can see or erase it.",
	"privacy.what_h":        "What is kept",
	"privacy.what_rsvp":     "From your RSVP: your name, email, company and job title, your language, and your ticket's status.",
	"privacy.what_mail":     "The mail sent to you: its kind, address, time and whether it was delivered. The text of a mail is written when it is sent and not kept.",
	"privacy.what_door":     "At the door: when your ticket was scanned and checked in, and by which device.",
	"privacy.what_logs":     "Organizers' actions on your ticket (such as a cancel or a check-in), by ticket number.",
	"privacy.what_not":      "No tracking: no analytics and no advertising. Cookies hold only your language, a form token, and a form that came back with an error until the page shows it again.",
	"privacy.why_h":         "Why",
	"privacy.why":           "To hold your seat and keep the waitlist fair, to send you your ticket, reminders and changes, to let you in at the door, and to tell the organizer who is coming. It rests on your RSVP: you asked for a seat.",
	"privacy.long_h":        "How long",
	"privacy.long_days":     "Your personal data is erased automatically %d days after the salon ends. Counts (how many came) stay, without names.",
	"privacy.long_kept":     "This server keeps guests' personal data until they erase it: it erases none automatically. You can erase yours at any time.",
	"privacy.who_h":         "Who sees it",
	"privacy.who":           "The salon's organizers and this server's admins see the guest list with names, companies and job titles; the door staff see names at check-in. Other guests see only how many are going, never names. Whoever has your ticket's link can see and cancel your ticket, so keep it to yourself.",
	"privacy.rights_h":      "See or erase your data",
	"privacy.rights_ticket": "On your ticket's page, “Download my data” gives everything held for that ticket as a JSON file, and “Erase my data” removes your name, email, company and job title for good and frees your seat.",
	"privacy.rights_all":    "For every ticket of your email at once, choose “Email me a link to all my tickets” on any of your ticket pages. We mail a link, valid 24 hours, to the ticket's address; it downloads all your data, or erases it from every ticket.",
	"privacy.contact_h":     "Questions",
	"privacy.contact":       "Questions about your data, or a request to handle by hand:",

	"all.offer":   "Have other tickets with the same email? We can mail you a link to see or erase them all at once.",
	"all.button":  "Email me a link to all my tickets",
	"all.title":   "Check your inbox",
	"all.sent":    "We mailed a link to %s.",
	"all.limited": "A link was mailed to %s a short while ago. Check your inbox and spam folder; you can ask for another one later.",
	"all.explain": "The link works for 24 hours. It opens every ticket of that address: download all your data, or erase it from every ticket. A new link replaces the old one.",
	"all.back":    "Back to the ticket",

	"me.title":             "All your tickets",
	"me.lead":              "Every ticket of %s on this server:",
	"me.status.confirmed":  "Confirmed",
	"me.status.waitlisted": "On the waitlist",
	"me.status.cancelled":  "Cancelled",
	"me.status.pending":    "Waiting for approval",
	"me.status.declined":   "Declined",
	"me.export":            "Download all my data (JSON)",
	"me.erase":             "Erase all my data",
	"me.until":             "This link works until %s (Asia/Shanghai time).",
	"me.expired":           "This link has expired. Ask for a new one on any of your ticket pages.",
	"me.erase_title":       "Erase all your personal data?",
	"me.erase_effect":      "Your name, email, company and job title are removed for good from every ticket of %s (%d in all), from their mail and from the logs. This cannot be undone.",
	"me.erase_active":      "%d of them are active: they are cancelled, and their seats go to the waitlists. No mail is sent to you about it.",
	"me.erase_yes":         "Yes, erase all my data",
	"me.erase_keep":        "No, keep it",

	"mail.subject.email_link": "Your tickets on Salon",
	"mail.email_link":         "Someone with one of your tickets asked for a link to every ticket of %s. Open it to download your data or to erase it:",
	"mail.email_link_expires": "The link works until %s (Asia/Shanghai time). If you did not ask for it, ignore this mail: nothing changes unless the link is used.",
	"mail.email_link_footer":  "You get this mail because someone asked for it on the page of a ticket for this address.",

	"console.col.retention":          "Data erased",
	"console.retention.due":          "Guests' personal data will be erased on %s, %d days after the salon ends.",
	"console.retention.erasing":      "Guests' personal data is being erased: its time came on %s, %d days after the salon ended.",
	"console.retention.erased":       "Guests' personal data was erased on %s, %d days after the salon ended.",
	"console.retention.kept":         "Guests' personal data is kept: this server erases none by time (--retention-days 0).",
	"console.retention.short_kept":   "Kept",
	"console.retention.short_erased": "Erased",
}

// chinesePrivacyPage is englishPrivacyPage in Simplified Chinese, key for key.
var chinesePrivacyPage = map[string]string{
	"footer.privacy": "隐私说明",

	"privacy.title":         "隐私与个人信息",
	"privacy.erased_all":    "你的邮箱名下所有门票的个人信息都已删除。",
	"privacy.intro":         "本服务器为组织者举办的沙龙登记报名。本页说明我们保存哪些嘉宾信息，以及你如何查看或删除这些信息。",
	"privacy.what_h":        "保存哪些信息",
	"privacy.what_rsvp":     "报名时填写的姓名、邮箱、公司和职位，你的语言，以及门票状态。",
	"privacy.what_mail":     "发给你的邮件：类型、地址、时间以及是否送达。邮件正文在发送时生成，不会保存。",
	"privacy.what_door":     "入场时：门票何时被扫描和签到，由哪台设备完成。",
	"privacy.what_logs":     "组织者对你门票的操作（例如取消或签到），按门票编号记录。",
	"privacy.what_not":      "不做追踪：没有统计分析，也没有广告。Cookie 只保存你选择的语言、表单令牌，以及出错后退回的表单（页面再次显示后即清除）。",
	"privacy.why_h":         "为什么保存",
	"privacy.why":           "为了保留你的座位并公平地管理候补名单，给你发送门票、提醒和变更通知，在入场时核验门票，并让组织者知道谁会来。依据是你的报名：是你申请了座位。",
	"privacy.long_h":        "保存多久",
	"privacy.long_days":     "活动结束 %d 天后，你的个人信息会被自动删除。人数统计（例如到场人数）会保留，但不含姓名。",
	"privacy.long_kept":     "本服务器会一直保留嘉宾的个人信息，直到本人删除：不会自动删除。你可以随时删除自己的信息。",
	"privacy.who_h":         "谁能看到",
	"privacy.who":           "沙龙的组织者和本服务器的管理员能看到嘉宾名单（姓名、公司、职位），入场工作人员在签到时能看到姓名。其他嘉宾只能看到报名人数，看不到姓名。拿到你门票链接的人可以查看和取消门票，请不要转发。",
	"privacy.rights_h":      "查看或删除你的信息",
	"privacy.rights_ticket": "在门票页面，「下载我的数据」以 JSON 文件给出该门票的全部信息；「删除我的数据」会永久删除你的姓名、邮箱、公司和职位，并释放座位。",
	"privacy.rights_all":    "如需一次处理邮箱名下的所有门票，请在任一门票页面选择「把所有门票的链接发到我的邮箱」。我们会向该门票的邮箱发送一个链接（24 小时内有效），可以下载你的全部数据，或从所有门票中删除。",
	"privacy.contact_h":     "联系我们",
	"privacy.contact":       "关于个人信息的问题，或需要人工处理的请求，请联系：",

	"all.offer":   "同一邮箱还有其他门票？我们可以给你发一个链接，一次查看或删除全部门票。",
	"all.button":  "把所有门票的链接发到我的邮箱",
	"all.title":   "请查收邮件",
	"all.sent":    "我们已向 %s 发送了链接。",
	"all.limited": "不久前已向 %s 发送过链接。请查看收件箱和垃圾邮件；稍后可以再次申请。",
	"all.explain": "链接 24 小时内有效，可以打开该邮箱名下的所有门票：下载全部数据，或从所有门票中删除。新链接会替代旧链接。",
	"all.back":    "返回门票",

	"me.title":             "你的所有门票",
	"me.lead":              "%s 在本服务器上的所有门票：",
	"me.status.confirmed":  "已确认",
	"me.status.waitlisted": "候补中",
	"me.status.cancelled":  "已取消",
	"me.status.pending":    "待审核",
	"me.status.declined":   "未通过",
	"me.export":            "下载我的全部数据（JSON）",
	"me.erase":             "删除我的全部数据",
	"me.until":             "此链接有效期至 %s（上海时间）。",
	"me.expired":           "此链接已过期。请在任一门票页面重新申请。",
	"me.erase_title":       "确定删除你的全部个人信息？",
	"me.erase_effect":      "你的姓名、邮箱、公司和职位将从 %s 名下的所有门票（共 %d 张）、相关邮件和日志中永久删除，且无法恢复。",
	"me.erase_active":      "其中 %d 张仍然有效：它们会被取消，座位让给候补名单。我们不会为此给你发邮件。",
	"me.erase_yes":         "确定全部删除",
	"me.erase_keep":        "不删除",

	"mail.subject.email_link": "你在 Salon 上的门票",
	"mail.email_link":         "有人通过你的一张门票，申请了 %s 名下所有门票的链接。打开链接即可下载或删除你的数据：",
	"mail.email_link_expires": "链接有效期至 %s（上海时间）。如果不是你申请的，请忽略这封邮件：不使用链接就不会有任何改动。",
	"mail.email_link_footer":  "你收到这封邮件，是因为有人在这个邮箱的门票页面上申请了链接。",

	"console.col.retention":          "信息删除日期",
	"console.retention.due":          "嘉宾的个人信息将于 %s 删除（活动结束 %d 天后）。",
	"console.retention.erasing":      "嘉宾的个人信息正在删除：保留期已于 %s 结束（活动结束 %d 天后）。",
	"console.retention.erased":       "嘉宾的个人信息已于 %s 删除（活动结束 %d 天后）。",
	"console.retention.kept":         "嘉宾的个人信息会一直保留：本服务器不按时间删除（--retention-days 0）。",
	"console.retention.short_kept":   "保留",
	"console.retention.short_erased": "已删除",
}
