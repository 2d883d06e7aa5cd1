# ruff: noqa: E501  (the translation table reads best one pair a line)
"""Build ``inspector_en.ts`` / ``.qm``: the UI's Chinese source strings with their English text.

Run from the repository root after changing UI strings (the results are committed):

    .venv/bin/python resources/i18n/build_translations.py

pyside6-lupdate collects every ``tr("…")`` of inspector_app/ui; this script fills in the English
from EN below (a string missing here is reported and stays Chinese), then runs pyside6-lrelease.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(sys.executable).parent
TS = HERE / "inspector_en.ts"
QM = HERE / "inspector_en.qm"

EN = {
    "街道检查工作台": "Street Inspection Workbench", "今日任务": "Today", "企业名录": "Register",
    "隐患整改": "Hazards", "诉求跟进": "Requests", "网络状态未知": "Network status unknown",
    "取消": "Cancel", "● 在线": "● Online", "○ 离线": "○ Offline", "文件(&F)": "&File",
    "打开工作区…": "Open workspace…", "新建空工作区…": "New empty workspace…", "退出": "Quit",
    "语言(&L)": "&Language", "帮助(&H)": "&Help", "关于": "About",
    "街道检查工作台：防疫复工、安全生产、消防、三小场所现场检查。离线可用。":
        "Street Inspection Workbench: on-site checks for epidemic resumption, work safety, fire safety "
        "and small venues. Works offline.",
    "正在打开 {path} …": "Opening {path} …", "工作区：{path}　企业 {n} 家": "Workspace: {path}   {n} enterprises",
    "检查表有误": "Checklists with errors",
    "以下检查表未能载入，其余可正常使用：\n": "These checklists could not be loaded; the others work:\n",
    "未打开工作区": "No workspace open", "无法打开工作区": "Cannot open the workspace",
    "无法打开工作区 {path}": "Cannot open the workspace {path}", "选择其他工作区…": "Choose another workspace…",
    "关闭": "Close", "选择工作区文件夹": "Choose the workspace folder",
    "选择新工作区的文件夹（应为空文件夹）": "Choose a folder for the new workspace (an empty one)",
    "已有工作区": "Workspace exists", "该文件夹已有工作区，将直接打开。": "That folder holds a workspace; it will be opened.",
    "待同步 {n} 条": "{n} waiting to sync", "已全部同步": "All synced", "操作未完成": "Not done",
    "正在生成 {title}…": "Making the {title}…", "已生成 {path}": "Written: {path}",
    "无法生成文书": "Cannot make the document", "欢迎使用街道检查工作台": "Welcome to the Street Inspection Workbench",
    "还没有工作区": "No workspace yet",
    "工作区保存企业名录、检查记录和照片，全部在本机，离线可用。请选择：":
        "A workspace holds the register, the inspection records and the photos, all on this computer and "
        "usable offline. Choose:",
    "打开演示工作区（含示例企业和检查记录）": "Open the demo workspace (sample enterprises and records)",
    "新建空工作区：{path}": "New empty workspace: {path}", "打开已有工作区…": "Open an existing workspace…",
    "（本版本不含演示数据）": "(this build has no demo data)",
    "企业 {code} 不在本机企业名录中": "Enterprise {code} is not in this computer's register",
    "开始时间": "Started", "检查表": "Checklist", "状态": "Status", "已完成": "Completed", "进行中": "In progress",
    "结论": "Outcome", "检查人员": "Inspectors", "隐患": "Hazard", "等级": "Severity", "整改要求": "Order",
    "期限": "Deadline", "提出日期": "Raised", "类别": "Category", "内容": "Content", "企业": "Enterprise",
    "← 返回": "← Back", "开始复查": "Start re-inspection", "开始检查": "Start inspection",
    "基本信息": "Master data", "检查记录": "Visits", "待整改隐患": "Open hazards", "诉求/困难": "Requests",
    "撤销修改": "Undo changes", "保存修改": "Save changes",
    "修改会作为变更记录保存，同步时交由街道办核对。":
        "Edits are kept as changes and checked by the street office when synced.",
    "正在读取…": "Loading…",
    "统一社会信用代码 {code}　{category}　{grid}　{address}": "Credit code {code}   {category}   {grid}   {address}",
    "待整改隐患（{n}）": "Open hazards ({n})", "检查记录（{n}）": "Visits ({n})", "诉求/困难（{n}）": "Requests ({n})",
    "没有修改": "Nothing changed", "已保存企业信息修改": "Enterprise data saved", "逾期 {n} 天": "{n} days overdue",
    "企业名称": "Enterprise", "逾期": "Overdue", "网格": "Grid", "发现日期": "Found on", "全部网格": "All grids",
    "全部等级": "All severities", "只看逾期": "Overdue only", "查看企业": "Open enterprise",
    "待整改 {n} 项，逾期 {o} 项，重大 {m} 项": "{n} open, {o} overdue, {m} major",
    "{severity}隐患　{order}　期限 {deadline}　发现于 {found}":
        "{severity} hazard   {order}   due {deadline}   found {found}",
    "已整改": "Rectified", "未整改": "Not rectified", "整改照片…": "Photo of the fix…", "新期限": "New deadline",
    "复查情况说明": "Re-inspection note", "选择整改照片": "Choose a photo of the fix",
    "图片 (*.jpg *.jpeg *.png *.heic *.webp)": "Images (*.jpg *.jpeg *.png *.heic *.webp)",
    "未复查": "Not checked yet", "已附照片": "Photo attached", "已记录：{result}": "Recorded: {result}",
    "待复查隐患": "Hazards to re-inspect", "该企业没有待复查的隐患": "This enterprise has no hazards to re-inspect",
    "统一社会信用代码": "Credit code", "复工状态": "Resumption", "地址": "Address", "导入名录…": "Import register…",
    "搜索企业名称、信用代码、地址或拼音首字母": "Search name, credit code, address or pinyin initials",
    "全部类别": "All categories", "全部复工状态": "All statuses",
    "（仅显示前 {n} 家，请输入更多字词缩小范围）": " (first {n} shown; type more to narrow)",
    "找到 {n} 家，名录共 {total} 家": "{n} found of {total}", "选择企业名录文件": "Choose the register file",
    "表格 (*.xlsx *.csv)": "Spreadsheets (*.xlsx *.csv)", "正在导入 {name}…": "Importing {name}…",
    "导入完成": "Imported", "未能导入": "Not imported", "全部状态": "All statuses",
    "选择一条诉求查看跟进情况": "Choose a request to see its follow-up", "跟进情况": "Follow-up",
    "记录跟进": "Record follow-up", "跟进记录：\n": "Follow-ups:\n", "尚无跟进记录": "No follow-up yet",
    "现场检查": "Inspection", "复查": "Re-inspection", "检查": "Inspection",
    "{form}（{version}）　{kind}　检查人员：{crew}　开始于 {start}":
        "{form} ({version})   {kind}   inspectors: {crew}   started {start}",
    "复查隐患": "Hazards to re-inspect", "签名 · 诉求 · 完成": "Sign · Requests · Complete",
    "检查人员 {name}（执法证号 {badge}）": "Inspector {name} (badge {badge})", "企业负责人": "Enterprise representative",
    "必答 {a} / {t}　隐患 {f}": "Required {a} / {t}   hazards {f}",
    "当前结论：{outcome}　（隐患 {n} 项，其中重大 {m} 项）": "Outcome so far: {outcome}   ({n} hazards, {m} major)",
    "本次检查已于 {at} 完成并锁定，不能再修改。结论：{outcome}\n内容哈希：{hash}":
        "Completed and locked at {at}; it can no longer change. Outcome: {outcome}\nContent hash: {hash}",
    "未签名": "Not signed", "签名人": "Signer", "请在此处签名": "Sign here", "拒绝签字": "Refuses to sign",
    "拒签理由（必填）": "Reason for refusing (required)", "清除": "Clear", "保存签名": "Save signature",
    "记录拒签": "Record refusal", "已签名 ✓": "Signed ✓", "已记录拒签": "Refusal recorded", "签名": "Signatures",
    "企业诉求/困难": "Enterprise requests", "企业提出的诉求或困难": "What the enterprise asks for or struggles with",
    "记录诉求": "Record request", "本次未记录诉求": "No request recorded in this visit", "完成检查": "Complete",
    "尚缺以下内容（点击跳转）：": "Still missing (click to go there):", "打印检查记录": "Print record",
    "打印整改通知书": "Print rectification notice", "完成检查并锁定": "Complete and lock", "一票否决": "Veto",
    "事由": "Reason", "应检日期": "Due", "逾期天数": "Days overdue",
    "{day}　应检 {n} 家，其中逾期 {m} 家": "{day}   {n} due, {m} overdue",
    "显示 {shown} / {total} 家": "Showing {shown} of {total}", "隐患等级": "Severity", "立即整改": "Fix now",
    "限期整改": "Fix by deadline", "隐患描述": "Description", "添加隐患照片…": "Add hazard photos…",
    "隐患：{title}": "Hazard: {title}", "已有 {n} 张照片": "{n} photos", "暂无照片": "No photos",
    "依据：{basis}": "Basis: {basis}", "选择照片": "Choose photos", "符合": "Yes", "不符合": "No",
    "不适用": "N/A", "是": "Yes", "否": "No", "（未选择）": "(none)", "无上述问题  0": "None of these  0",
    "未填写": "Not filled in", "添加照片…": "Add photos…", "到场检查人员（至少一人）": "Inspectors present (at least one)",
    "开始": "Start", "复查：该企业有 {n} 项待复查隐患": "Re-inspection: {n} hazards to check",
    "没有适用于“{category}”的检查表": "No checklist applies to “{category}”",
    "请至少选择一名检查人员": "Choose at least one inspector",
    # sync: the login dialog, the status bar, the 同步 page
    "同步": "Sync", "登录办公室服务器…": "Log in to the office server…", "立即同步": "Sync now",
    "登录办公室服务器": "Log in to the office server",
    "每位检查员在本机登录一次即可，登录凭证保存在系统密钥环（或工作区）中。":
        "Each inspector logs in once on this computer; the login is kept in the system keyring (or the workspace). ",
    "多名检查员共用本机时，各自的未同步记录互不影响。":
        "Inspectors sharing this computer never touch each other's unsynced work.",
    "切换": "Switch", "登录": "Log in", "本机检查员": "Inspectors here", "或登录其他账号：": "Or log in as someone else:",
    "例如 http://192.168.1.10:8765": "e.g. http://192.168.1.10:8765", "办公室分配的用户名": "User name from the office",
    "服务器地址": "Server", "用户名": "User name", "密码": "Password",
    "请填写服务器地址、用户名和密码": "Please fill in the server, the user name and the password",
    "正在登录…": "Logging in…", "登录失败：{reason}": "Login failed: {reason}",
    "等待发送": "Waiting", "发送中（未确认）": "Sending (not confirmed)", "已送达": "Sent", "已隔离": "Quarantined",
    "冲突": "Conflict", "企业信息修改": "Enterprise edit", "隐患跟进": "Hazard follow-up", "{n} 个：{first}…": "{n}: {first}…",
    "类型": "Kind", "记录": "Record", "检查员账号": "Inspector account", "（未登录时记录）": "(recorded before login)",
    "原因": "Reason", "缺少的文件": "Missing files", "发送次数": "Attempts", "记录时间": "Recorded",
    "未登录办公室服务器": "Not logged in to the office server", "全部检查员": "All inspectors", "重新发送": "Send again",
    "把选中的已隔离记录放回发送队列（先在办公室或本机解决隔离原因）":
        "Put the selected quarantined record back in the queue (fix the reason first, at the office or here)",
    "登录/切换检查员…": "Log in / switch inspector…",
    "已隔离：服务器不接受该记录，原因见右侧，其余记录照常发送。":
        "Quarantined: the server refused the record (the reason is shown); everything else is still sent. ",
    "冲突：与办公室的数据不一致，待办公室处理，本机保留您的版本。":
        "Conflict: it disagrees with the office's data; the office decides, this computer keeps your version.",
    "无检查组": "no team", "检查员：{name}　{team}　服务器：{url}": "Inspector: {name}   {team}   server: {url}",
    "接收变更 {n} 条": "Received {n} changes", "上传文件 {done}/{total}": "Uploading files {done}/{total}",
    "同步中 {done}/{total}": "Syncing {done}/{total}", "同步中…": "Syncing…", "离线": "Offline",
    "服务器无法连接": "Server unreachable", "未登录": "Not logged in", "登录已失效": "Login expired",
    "同步出错": "Sync failed", "同步已取消": "Sync cancelled", "上次同步 {time}": "Last sync {time}",
    "尚未同步": "Not synced yet", "检查员：{name}　服务器：{url}": "Inspector: {name}   server: {url}",
    "将于 {time} 自动重试": "Retrying by itself at {time}", "上次成功同步：{time}": "Last successful sync: {time}",
    "登录…": "Log in…", "登录办公室服务器或切换检查员": "Log in to the office server or switch inspector",
    "立即与办公室服务器同步（Ctrl+Shift+S）": "Sync with the office server now (Ctrl+Shift+S)",
    "重新登录…": "Log in again…",
    # domain words shown through tr(value)
    "一般": "General", "重大": "Major", "待整改": "Open", "已报整改": "Reported fixed", "已销号": "Closed",
    "待跟进": "Pending", "跟进中": "In progress", "已解决": "Resolved", "未复工": "Not resumed",
    "已备案": "Filed", "核查中": "Under review", "核查通过": "Approved", "需整改": "Needs rectification",
    "已复工": "Resumed", "停业": "Closed down", "用工招聘": "Hiring", "资金融资": "Finance",
    "原材料供应": "Raw materials", "物流运输": "Logistics", "防疫物资": "Protective supplies",
    "政策咨询": "Policy questions", "租金减免": "Rent relief", "审批办证": "Permits", "其他": "Other",
    "现场检查记录": "inspection record", "整改通知书": "rectification notice", "整改复查意见书": "re-inspection opinion",
    # Reports page, camera, start-up
    "报表打印": "Reports", "检查工作统计（日报 / 周报）": "Inspection statistics (daily / weekly)", "至": "to",
    "统计期间": "Period", "统计范围": "Scope", "生成统计报表": "Make the statistics report",
    "当日全部现场检查记录": "All inspection records of a day", "检查日期": "Date",
    "合并打印当日记录": "Print the day's records together", "发文单位与印章": "Issuing unit and seal",
    "例如：宝龙街道综合行政执法队": "e.g. 宝龙街道综合行政执法队", "文书编号前缀，例如：宝执": "Document number prefix, e.g. 宝执",
    "发文单位": "Issuing unit", "编号前缀": "Number prefix", "未设置印章": "No seal set", "选择印章图片…": "Choose the seal image…",
    "印章": "Seal", "保存设置": "Save settings", "本次生成的文书（双击打开）": "Documents made this session (double-click to open)",
    "全部企业": "All enterprises", "检查组：{name}": "Team: {name}", "网格：{name}": "Grid: {name}", "已设置印章": "Seal set",
    "统计期间有误": "Wrong period", "结束日期不能早于开始日期": "The end date cannot be before the start date",
    "日报": "daily report", "周报": "weekly report", "统计": "statistics",
    "{day} 没有已完成的检查记录": "No completed inspection records on {day}", "正在生成报表…": "Making the report…",
    "无法生成报表": "Cannot make the report", "设置已保存": "Settings saved", "设置未保存": "Settings not saved",
    "选择印章图片": "Choose the seal image", "图片 (*.png *.jpg *.jpeg)": "Images (*.png *.jpg *.jpeg)",
    "印章未设置": "Seal not set", "照片无法保存为 JPEG": "The photo cannot be saved as JPEG", "拍照": "Take photo",
    "正在打开摄像头…": "Opening the camera…", "拍照（空格）": "Take photo (Space)",
    "对准隐患部位后拍照": "Aim at the hazard, then take the photo", "正在打开工作区…": "Opening the workspace…",
}

# The visit: signature items, refusal, completing, photos (issue 10).
EN.update({
    "当前结论：{outcome}　（复查隐患 {t} 项：已整改 {a} 项，未整改 {b} 项，未标记 {c} 项）":
        "Outcome so far: {outcome}   ({t} findings re-inspected: {a} rectified, {b} not rectified, {c} not marked)",
    "隐患：": "Findings:", "整改期限": "deadline", "未发现隐患。": "No findings.",
    "完成后本次检查将锁定，不能再修改。": "Once completed, the visit is locked and cannot be changed.",
    "确认完成并锁定": "Complete and lock", "返回修改": "Go back and edit", "查看照片": "Photo",
    "无法显示这张照片": "This photo cannot be shown", "请填写签名人姓名": "Enter the signer's name",
    "请填写拒签理由": "Enter why the signature was refused",
    "请先在签名框内签名（或勾选拒绝签字并写明理由）": "Sign in the box first (or tick Refused to sign and give the reason)",
    "图{n}": "Photo {n}", "第 {n} 张：点击查看（V），Delete 删除": "Photo {n}: click to view (V), Delete removes it",
    "  …另有 {n} 项，见“隐患”各项": "  … and {n} more, see the items", "删除这张照片": "Remove this photo", "拍照…": "Take photo…", "年-月-日，如 2026-03-01": "year-month-day, e.g. 2026-03-01",
})

# The window shell's strings (worklist keys, drafts, printing, status bar, shortcuts help).
EN.update({
    '网络已连接': 'Network connected',
    '网络未连接': 'Network disconnected',
    '转到(&G)': '&Go',
    '搜索企业': 'Search enterprises',
    '返回': 'Back',
    '快捷键': 'Keyboard shortcuts',
    '工作区文件夹：{path}': 'Workspace folder: {path}',
    '在此生成演示工作区（含示例企业和检查记录）': 'Make the demo workspace here (sample enterprises and records)',
    '在此新建空工作区': 'Make an empty workspace here',
    '全局': 'Everywhere',
    '搜索企业（今日任务或企业名录的搜索框）': 'Search enterprises (the search box of Today or the Register)',
    '转到 今日任务、企业名录、隐患整改、诉求跟进、报表打印、同步': 'Go to Today, Register, Hazards, Requests, Reports, Sync',
    '返回（企业页、检查页）': 'Back (enterprise and visit pages)',
    '打开工作区': 'Open a workspace',
    '快捷键（本页）': 'Keyboard shortcuts (this page)',
    '在输入框、列表和按钮之间移动': 'Move between fields, lists and buttons',
    '从搜索框进入结果列表': 'From the search box into the results',
    '开始检查；隐患复查行开始复查；进行中的检查则继续（搜索框中：第一条结果）': 'Start an inspection; on a hazard re-inspection row start the re-inspection; resume a visit in progress (in the search box: the first result)',
    '在列表中选择企业': 'Choose an enterprise in the list',
    '开始（有进行中的检查时：继续该检查）': 'Start (where a visit is in progress: resume it)',
    '选中或取消检查表、检查人员': 'Tick or untick a checklist or an inspector',
    '当前检查项：符合 / 不符合 / 不适用': 'Current item: compliant / non-compliant / not applicable',
    '下一项': 'Next item',
    '单选、多选项：按选项前的键选中或取消；0：以上都没有': 'Choice and tick items: the key before an option ticks or unticks it; 0: none of these',
    '上一项': 'Previous item',
    '确定': 'OK',
    '隐患描述中：隐患填完，回到检查表（Shift+Enter 换行）': 'In a hazard description: the hazard is done, back to the checklist (Shift+Enter: new line)',
    '隐患中：离开隐患，回到检查表': 'In a hazard: leave it, back to the checklist',
    '照片项：添加照片': 'Photo item: add a photo',
    '照片项：选择照片、删除、查看': 'Photo item: choose a photo, remove it, view it',
    '签名板上：保存签名': 'On a signature pad: save the signature',
    '当前隐患：已整改 / 未整改': 'Current hazard: rectified / not rectified',
    '打印预览 — {name}': 'Print preview — {name}',
    '例行检查': 'Routine inspection',
    '隐患复查': 'Hazard re-inspection',
    '行业': 'Industry',
    '规模': 'Size',
    '法定代表人': 'Legal representative',
    '联系人': 'Contact',
    '联系电话': 'Phone',
    '员工总数': 'Staff total',
    '到岗人数': 'Staff on site',
    '通过': 'Passed',
    '准予复工': 'Resumption approved',
    '不予复工': 'Resumption refused',
    '责令停产整顿': 'Ordered to suspend and rectify',
    '复查完成': 'Re-inspection done',
    '复查完成，发现新隐患': 'Re-inspection done, new hazards found',
    '继续这次检查': 'Resume this visit',
    '该企业有一次进行中的检查：{title}，{time} 开始。': 'A visit of this enterprise is in progress: {title}, started {time}.',
    '仍新开一次检查': 'Start another visit anyway',
    '已登录的检查员': 'The signed-in inspector',
    '进行中（{time} 开始）': 'In progress {time}',
    '查看企业（Ctrl+Enter）': 'View enterprise (Ctrl+Enter)',
    '开始检查（隐患复查行：开始复查；进行中：继续）（Enter）': 'Start an inspection (a hazard re-inspection row: start the re-inspection; in progress: resume) (Enter)',
    '；进行中 {n} 项': '; {n} in progress',
    '继续检查': 'Resume visit',
    '本次生成的文书（Enter 或双击：打印预览）': 'Documents made (Enter or double-click: print preview)',
    '打印…': 'Print…',
    '打开 PDF': 'Open PDF',
    '{n} 条未被接收': '{n} not accepted',
    '{name}（未登录）': '{name} (not signed in)',
    '未保存的修改': 'Unsaved changes',
    '企业信息有未保存的修改。放弃这些修改并返回吗？': "The enterprise's data has unsaved changes. Discard them and go back?",
    '放弃修改并返回': 'Discard and go back',
    '继续编辑': 'Keep editing',
    '打印预览': 'Print preview',
    '打印': 'Print',
    '打印（选择打印机）': 'Print (choose the printer)',
})

# day2: officers, register figures, saved signatures, photo rotate
EN.update({
    "到场执法人员（本检查表须 {n} 名持执法证的执法人员）":
        "Officers present (this checklist needs {n} law-enforcement officers with badges)",
    "{name}　执法证号 {badge}": "{name}　badge {badge}",
    "本检查表须 {n} 名执法人员到场检查，已选 {m} 名：请再勾选 {k} 名（含执法证号）":
        "This checklist needs {n} law-enforcement officers on site; {m} chosen: tick {k} more (with badges)",
    "执法人员：": "Officers: ",
    "{name}（执法证号 {badge}）": "{name} (badge {badge})",
    "向右旋转 90°（R）": "Rotate right 90° (R)",
    "已按企业名录预填（{value}），可修改": "Prefilled from the register ({value}); you may change it",
    "保存为我的签名，以后文书自动使用": "Save as my signature and use it on later documents",
    "员工总数": "Staff total",
    "到岗人数": "Staff on site",
})
EN.update({  # house
    "接收时间": "Received",
    "接收时搁置的记录（{n} 条）": "Records set aside when received ({n})",
    "接收时已搁置：办公室发来的这些记录本机无法接收，已单独保存，其余记录照常接收。请告知办公室按原因处理。":
        "Set aside when received: this laptop could not take these records from the office. They are"
        " kept apart and everything else was received as usual. Tell the office the reason shown.",
})


# walk: categories and units shown in English, the shortcut help, the completion box, the preview
EN.update({
    "规上工业企业": "Large industry",
    "规下企业": "Small firm",
    "建筑工地": "Building site",
    "小档口": "Small shop",
    "小作坊": "Workshop",
    "小娱乐场所": "Small venue",
    "个体工商户": "Sole trader",
    "出租屋": "Rental",
    "商场市场": "Mall/market",
    "学校": "School",
    "酒店": "Hotel",
    "人": "people",
    "支": "pcs",
    "只": "pcs",
    "具": "units",
    "间": "rooms",
    "户": "households",
    "层": "floors",
    "吨": "t",
    "㎡": "m²",
    "%": "%",
    "企业页": "Enterprise page",
    "打开菜单：文件、语言、转到、帮助": "Open a menu: File, Language, Go, Help",
    "开始复查（有待复查隐患时）": "Start a re-inspection (when findings wait for one)",
    "下一项（一节的最后一项之后：下一节，最后是签名和完成）":
        "Next item (after a section's last: the next section, at the end signatures and completing)",
    "尚缺内容列表中：转到该项": "In the list of what is missing: go to the item",
    "向右旋转 90°": "Rotate right 90°",
    "拍照窗口：拍照": "Camera window: take the photo",
    "确认完成并锁定本次检查？": "Complete and lock this inspection?",
    "正在准备打印预览…": "Preparing the print preview…",
    "正在准备打印预览… 第 {n} / {m} 页": "Preparing the print preview… page {n} of {m}",
})

# docs: document numbers from the office, site people, issuing-authority fields, 当场整改完毕
EN.update({
    "尚未从办公室领取{year}年的文书编号：此时完成的检查将使用本机临时编号（带“临”字），请先连接办公室同步。":
        "No document numbers for {year} from the office yet: visits completed now get provisional laptop "
        "numbers (marked 临). Connect to the office and sync first.",
    "{title}的编号已用完：此时完成的检查将使用本机临时编号，请同步领取。":
        "The numbers for the {title} are used up: visits completed now get provisional laptop numbers. "
        "Sync to get more.",
    "{title}的编号仅剩{n}个，请尽快同步领取。": "Only {n} numbers left for the {title}: sync soon to get more.",
    "现场负责人与见证人": "Person in charge on site and witness",
    "现场负责人": "Person in charge on site",
    "姓名": "Name",
    "职务": "Title",
    "如：生产主管": "e.g. production supervisor",
    "证件号码": "ID number",
    "居民身份证或其他证件号码": "Resident ID card or other ID number",
    "联系电话": "Phone",
    "见证人": "Witness",
    "姓名（当事人拒绝签名或拒收文书时填写）": "Name (fill in when the party refuses to sign or to receive a document)",
    "见证人工作单位": "Witness's work unit",
    "如：社区工作站": "e.g. community work station",
    "保存现场人员": "Save the people on site",
    "已保存，完成检查时写入记录": "Saved; written into the record when the visit is completed",
    "授权或委托执法的文件，例如：区政府关于街道综合行政执法的决定":
        "The document that authorizes or entrusts the enforcement, e.g. the district's decision on the "
        "street office's integrated enforcement",
    "例如：深圳市龙岗区人民政府": "e.g. 深圳市龙岗区人民政府 (the district government)",
    "例如：深圳市龙岗区人民法院": "e.g. 深圳市龙岗区人民法院 (the district court)",
    "执法依据": "Enforcement authority",
    "复议机关": "Administrative review body",
    "人民法院": "People's court",
    "文书代字（每类文书一个，印在文号中：（简称）代字〔年〕号）":
        "Document codes (文书代字), one per kind, printed in the number: (short name) code〔year〕No.",
    "责令限期整改指令书": "order to rectify within a time limit",
    "现场处理措施决定书": "decision on on-site measures",
    "责令立即改正通知书": "notice to correct at once",
    "责令限期改正通知书": "notice to correct within a time limit",
    "疫情防控整改通知书": "epidemic-prevention rectification notice",
    "当场整改完毕": "Corrected on the spot",
    "检查人员在场时已改正：须附整改后照片，不再出具整改文书":
        "Corrected while the inspectors were there: needs a photo of the corrected state; no order is served",
    "添加整改后照片…": "Add photo after correction…",
    "当场整改完毕须附整改后照片": "Corrected on the spot: a photo after correction is needed",
})
EN.update({  # lead: the completion box, after the merges
    "限期整改至 {date}": "fix by {date}",
})
EN.update({  # the pinyin index filled after an import
    "正在建立拼音检索：还剩 {n} 家": "Indexing pinyin for search: {n} enterprises to go",
    "拼音检索已建好": "Pinyin search index ready",
})


def main() -> int:
    sources = sorted(str(p.relative_to(REPO)) for p in (REPO / "inspector_app" / "ui").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(TS), "-no-obsolete"], cwd=REPO,
                   check=True)
    tree = ET.parse(TS)  # noqa: S314 - our own file, just written by lupdate
    root = tree.getroot()
    root.set("language", "en_US")
    root.set("sourcelanguage", "zh_CN")
    # lupdate files bare tr() calls under no context; the UI translates everything in one context.
    merged = ET.SubElement(ET.Element("x"), "context")
    ET.SubElement(merged, "name").text = "ui"
    seen: set[str] = set()
    for context in list(root.findall("context")):
        for message in context.findall("message"):
            source = message.findtext("source") or ""
            if source not in seen:
                seen.add(source)
                merged.append(message)
        root.remove(context)
    root.append(merged)
    missing = []
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        text = EN.get(source)
        if text is None:
            missing.append(source)
            continue
        translation.text = text
        translation.attrib.pop("type", None)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], cwd=REPO, check=True)
    for m in missing:
        print("no English for:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
