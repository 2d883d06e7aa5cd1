"""Translation: the source strings are Chinese (the users' language), English comes from a .qm file.

One context for the whole UI keeps the .ts file simple to maintain by hand and with lupdate.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from inspector_app.paths import resources_dir

CONTEXT = "ui"
LANGUAGES = ("zh", "en")


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def qm_path(lang: str) -> str:
    return str(resources_dir() / "i18n" / f"inspector_{lang}.qm")


def qt_qm_dir() -> str:
    """Qt's own translations (the buttons and labels of its file dialogs and message boxes)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


# Qt's own strings that its shipped Chinese (qtbase_zh_CN, Qt 6.11) leaves English: the file
# dialog's 查找范围 and 文件类型 (Qt added the mnemonics, the translation kept the old text), the
# file list's 文件夹, the print dialog's 页面集. (context, source, disambiguation) → Chinese.
QT_ZH_GAPS: dict[tuple[str, str, str | None], str] = {
    ("QFileDialog", "&Look in:", None): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:", None): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder", "All other platforms"): "文件夹",
    ("QAbstractFileIconProvider", "Drive", None): "驱动器",
    ("QPrintSettingsOutput", "Page &Set:", None): "页面集(&S)：",
}


class QtGapsTranslator(QTranslator):
    """Fills ``QT_ZH_GAPS``; every other string falls through to Qt's own translation."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string, "not translated here"; an empty string would blank the text.
        return QT_ZH_GAPS.get((context, source, disambiguation or None))

    def isEmpty(self) -> bool:
        return False


class Translations:
    """Holds the installed translators so switching language can swap them: ours (the UI's source
    strings are Chinese, so English needs one) and Qt's own (its dialogs are English by default,
    so Chinese needs ``qtbase_zh_CN``)."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self._qt: QTranslator | None = None
        self._gaps: QTranslator | None = None
        self.lang = "zh"

    def install(self, lang: str) -> bool:
        app = QCoreApplication.instance()
        if app is None:
            return False
        for old in (self._translator, self._qt, self._gaps):
            if old is not None:
                app.removeTranslator(old)
        self._translator = self._qt = self._gaps = None
        self.lang = lang if lang in LANGUAGES else "zh"
        if self.lang == "zh":
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            qt = QTranslator(app)
            if qt.load("qtbase_zh_CN", qt_qm_dir()):
                app.installTranslator(qt)
                self._qt = qt
            self._gaps = QtGapsTranslator(app)  # installed last: asked first
            app.installTranslator(self._gaps)
            return True
        translator = QTranslator(app)
        if not translator.load(qm_path(self.lang)):
            self.lang = "zh"
            return False
        app.installTranslator(translator)
        self._translator = translator
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True


# Domain values the UI shows through tr(value): listed so lupdate collects them.
DOMAIN_WORDS = (
    QT_TRANSLATE_NOOP("ui", "一般"),
    QT_TRANSLATE_NOOP("ui", "重大"),
    QT_TRANSLATE_NOOP("ui", "待整改"),
    QT_TRANSLATE_NOOP("ui", "已报整改"),
    QT_TRANSLATE_NOOP("ui", "已销号"),
    QT_TRANSLATE_NOOP("ui", "待跟进"),
    QT_TRANSLATE_NOOP("ui", "跟进中"),
    QT_TRANSLATE_NOOP("ui", "已解决"),
    QT_TRANSLATE_NOOP("ui", "未复工"),
    QT_TRANSLATE_NOOP("ui", "已备案"),
    QT_TRANSLATE_NOOP("ui", "核查中"),
    QT_TRANSLATE_NOOP("ui", "核查通过"),
    QT_TRANSLATE_NOOP("ui", "需整改"),
    QT_TRANSLATE_NOOP("ui", "已复工"),
    QT_TRANSLATE_NOOP("ui", "停业"),
    QT_TRANSLATE_NOOP("ui", "用工招聘"),
    QT_TRANSLATE_NOOP("ui", "资金融资"),
    QT_TRANSLATE_NOOP("ui", "原材料供应"),
    QT_TRANSLATE_NOOP("ui", "物流运输"),
    QT_TRANSLATE_NOOP("ui", "防疫物资"),
    QT_TRANSLATE_NOOP("ui", "政策咨询"),
    QT_TRANSLATE_NOOP("ui", "租金减免"),
    QT_TRANSLATE_NOOP("ui", "审批办证"),
    QT_TRANSLATE_NOOP("ui", "其他"),
    QT_TRANSLATE_NOOP("ui", "立即整改"),
    QT_TRANSLATE_NOOP("ui", "限期整改"),
    QT_TRANSLATE_NOOP("ui", "已整改"),
    QT_TRANSLATE_NOOP("ui", "未整改"),
    QT_TRANSLATE_NOOP("ui", "现场检查记录"),
    QT_TRANSLATE_NOOP("ui", "整改通知书"),
    QT_TRANSLATE_NOOP("ui", "整改复查意见书"),
    # 今日任务's reasons, the register's field names and the forms' outcomes
    QT_TRANSLATE_NOOP("ui", "例行检查"),
    QT_TRANSLATE_NOOP("ui", "隐患复查"),
    QT_TRANSLATE_NOOP("ui", "行业"),
    QT_TRANSLATE_NOOP("ui", "规模"),
    QT_TRANSLATE_NOOP("ui", "法定代表人"),
    QT_TRANSLATE_NOOP("ui", "联系人"),
    QT_TRANSLATE_NOOP("ui", "联系电话"),
    QT_TRANSLATE_NOOP("ui", "员工总数"),
    QT_TRANSLATE_NOOP("ui", "到岗人数"),
    QT_TRANSLATE_NOOP("ui", "通过"),
    QT_TRANSLATE_NOOP("ui", "准予复工"),
    QT_TRANSLATE_NOOP("ui", "不予复工"),
    QT_TRANSLATE_NOOP("ui", "限期整改"),
    QT_TRANSLATE_NOOP("ui", "责令停产整顿"),
    QT_TRANSLATE_NOOP("ui", "复查完成"),
    QT_TRANSLATE_NOOP("ui", "复查完成，发现新隐患"),
    # enterprise categories (domain.enterprise.DEFAULT_CATEGORIES: shown translated, stored Chinese)
    QT_TRANSLATE_NOOP("ui", "规上工业企业"),
    QT_TRANSLATE_NOOP("ui", "规下企业"),
    QT_TRANSLATE_NOOP("ui", "建筑工地"),
    QT_TRANSLATE_NOOP("ui", "小档口"),
    QT_TRANSLATE_NOOP("ui", "小作坊"),
    QT_TRANSLATE_NOOP("ui", "小娱乐场所"),
    QT_TRANSLATE_NOOP("ui", "个体工商户"),
    QT_TRANSLATE_NOOP("ui", "出租屋"),
    QT_TRANSLATE_NOOP("ui", "商场市场"),
    QT_TRANSLATE_NOOP("ui", "学校"),
    QT_TRANSLATE_NOOP("ui", "酒店"),
    # the units of the shipped checklists' number items
    QT_TRANSLATE_NOOP("ui", "人"),
    QT_TRANSLATE_NOOP("ui", "支"),
    QT_TRANSLATE_NOOP("ui", "只"),
    QT_TRANSLATE_NOOP("ui", "具"),
    QT_TRANSLATE_NOOP("ui", "间"),
    QT_TRANSLATE_NOOP("ui", "户"),
    QT_TRANSLATE_NOOP("ui", "层"),
    QT_TRANSLATE_NOOP("ui", "吨"),
    QT_TRANSLATE_NOOP("ui", "㎡"),
    QT_TRANSLATE_NOOP("ui", "%"),
)
