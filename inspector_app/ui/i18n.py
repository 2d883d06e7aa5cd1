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


class Translations:
    """Holds the installed translators so switching language can swap them: ours (the UI's source
    strings are Chinese, so English needs one) and Qt's own (its dialogs are English by default,
    so Chinese needs ``qtbase_zh_CN``)."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self._qt: QTranslator | None = None
        self.lang = "zh"

    def install(self, lang: str) -> bool:
        app = QCoreApplication.instance()
        if app is None:
            return False
        for old in (self._translator, self._qt):
            if old is not None:
                app.removeTranslator(old)
        self._translator = self._qt = None
        self.lang = lang if lang in LANGUAGES else "zh"
        if self.lang == "zh":
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            qt = QTranslator(app)
            if qt.load("qtbase_zh_CN", qt_qm_dir()):
                app.installTranslator(qt)
                self._qt = qt
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
)
