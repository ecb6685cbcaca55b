package i18n

// englishCover is the text of covers, hosts and change notices' old and
// new values, in English.
var englishCover = map[string]string{
	"salon.hosted_by":          "Hosted by",
	"change.title":             "What changed",
	"change.time":              "Time",
	"change.place":             "Place",
	"change.name":              "Title",
	"change.none":              "(none)",
	"change.line":              "%s: %s → %s",
	"mail.changes":             "What changed:",
	"audit.salon.cover":        "set the cover image",
	"audit.salon.cover_remove": "removed the cover image",
	"console.cover":            "Cover image",
	"console.cover_help":       "JPEG, PNG or WebP, at most 10 MB. It is shown at the top of the salon page and in link previews; a wide picture (about 2:1) looks best. Its metadata (such as where a photo was taken) is removed.",
	"console.cover_file":       "Image file",
	"console.cover_upload":     "Upload",
	"console.cover_replace":    "Replace",
	"console.cover_remove":     "Remove the cover",
	"console.cover_none":       "No cover image yet.",
	"console.cover_alt":        "The salon's cover image",
	"console.ok.cover":         "Cover image saved.",
	"console.ok.cover_removed": "Cover image removed.",
	"console.f.host_name":      "Host",
	"console.f.host_name_help": "Who hosts the evening: a person or an organisation, shown as \"Hosted by\".",
	"console.f.host_about":     "About the host",
	"err.image_type":           "Must be a JPEG, PNG or WebP image.",
	"err.image_unreadable":     "This image cannot be read; it may be damaged.",
	"err.image_pixels":         "This image has too many pixels (at most 40 megapixels).",
	"err.image_too_large":      "The image is larger than 10 MB.",
	"err.host_name":            "Give the host's name, or leave the about empty.",
}

// chineseCover is englishCover in Simplified Chinese.
var chineseCover = map[string]string{
	"salon.hosted_by":          "主办方",
	"change.title":             "变更内容",
	"change.time":              "时间",
	"change.place":             "地点",
	"change.name":              "名称",
	"change.none":              "（无）",
	"change.line":              "%s：%s → %s",
	"mail.changes":             "变更内容：",
	"audit.salon.cover":        "设置了封面图",
	"audit.salon.cover_remove": "移除了封面图",
	"console.cover":            "封面图",
	"console.cover_help":       "JPEG、PNG 或 WebP，最大 10 MB。显示在沙龙页面顶部和链接预览中，宽幅图片（约 2:1）效果最好。图片的元数据（如拍摄地点）会被删除。",
	"console.cover_file":       "图片文件",
	"console.cover_upload":     "上传",
	"console.cover_replace":    "更换",
	"console.cover_remove":     "移除封面图",
	"console.cover_none":       "尚无封面图。",
	"console.cover_alt":        "沙龙封面图",
	"console.ok.cover":         "封面图已保存。",
	"console.ok.cover_removed": "封面图已移除。",
	"console.f.host_name":      "主办方",
	"console.f.host_name_help": "谁来主办这场活动：个人或机构，页面上显示为“主办方”。",
	"console.f.host_about":     "主办方简介",
	"err.image_type":           "须为 JPEG、PNG 或 WebP 图片。",
	"err.image_unreadable":     "无法读取这张图片，文件可能已损坏。",
	"err.image_pixels":         "图片像素过多（最多 4000 万像素）。",
	"err.image_too_large":      "图片大于 10 MB。",
	"err.host_name":            "请填写主办方名称，或清空简介。",
}

// The cover catalogue joins the others before they are merged (package
// variables are set before any init runs, and this one after the lists it
// extends).
var _ = func() bool {
	englishParts = append(englishParts, englishCover)
	chineseParts = append(chineseParts, chineseCover)
	return true
}()
