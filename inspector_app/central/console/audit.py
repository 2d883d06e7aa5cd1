"""The console's part in the server's one audit trail (``logic/audit.py``).

Every change made through the console is recorded there with the server's vocabulary of actions
(a user added in the console and one added on the command line are the same action), its actor
and the browser's address; the console adds the few actions only it has. The audit page reads the
same trail, so an admin sees logins, pushes, bundle imports and admin actions from every door in
one list.
"""

from __future__ import annotations

from sqlalchemy import Connection

from inspector_app.central.console.access import User
from inspector_app.central.logic import audit

# Actions only the console has (dotted like the server's: the group is the part before the dot).
REQUEST_FOLLOWED_UP = "console.request_follow_up"
REQUEST_ROUTED = "console.request_route"
SUB_GROUP_ADDED = "console.sub_group_add"
ROLE_SET = "console.role_set"
AUTHORITY_SET = "console.authority_set"

# What each action is called on the page (English in i18n.py).
LABELS = {
    audit.LOGIN: "登录",
    audit.LOGIN_FAILED: "登录失败",
    audit.LOGIN_THROTTLED: "登录被暂停",
    audit.LOGIN_UNLOCKED: "解除登录锁定",
    audit.LOGOUT: "退出登录",
    audit.LOGOUT_ALL: "注销全部登录",
    audit.PUSH: "同步推送",
    audit.UPLOAD_REFUSED: "文件上传被拒",
    audit.BUNDLE_IMPORT: "导入同步包",
    audit.USER_ADDED: "新增用户",
    audit.USER_DISABLED: "停用用户",
    audit.USER_ENABLED: "启用用户",
    audit.PASSWORD_CHANGED: "修改密码",
    audit.BADGE_CHANGED: "修改执法证号",
    audit.USER_MOVED: "调整检查组",
    audit.DEVICE_REVOKED: "注销设备登录",
    audit.TEAM_ADDED: "新增检查组",
    audit.GRID_ADDED: "新增网格",
    audit.ASSIGNED: "分配企业",
    audit.UNASSIGNED: "取消分配",
    audit.REGISTER_IMPORTED: "导入企业名录",
    audit.FORM_PUBLISHED: "发布检查表",
    audit.CONFLICT_RESOLVED: "裁定修改冲突",
    audit.BACKUP: "备份",
    audit.RESTORE: "恢复",
    REQUEST_FOLLOWED_UP: "诉求跟进",
    REQUEST_ROUTED: "诉求分派",
    SUB_GROUP_ADDED: "新增诉求分组",
    ROLE_SET: "设置控制台角色",
    AUTHORITY_SET: "设置发文单位",
}

# The groups the page filters by (``audit.entries`` matches a group as "group.*" or itself).
GROUPS = {
    "login": "登录",
    "logout": "退出登录",
    "sync": "同步",
    "admin": "管理操作",
    "console": "控制台操作",
}


def record(conn: Connection, user: User, action: str, subject: str = "", detail: str = "") -> None:
    """One change made in the console, in the caller's transaction: it is kept only if the change is."""
    audit.record(conn, action, actor=user.username, subject=subject, address=user.address, detail=detail)
