"""The roster file format: its columns and the Chinese words accepted in them.

The headers and enum words are a data contract with the people who fill in the
spreadsheet (and with the exports we hand them back), so they are fixed Chinese
strings here rather than translated interface text: a file written under one
interface language must import under any other.
"""

from dataclasses import dataclass

from dangjian.orgs.models import Category, Education, Employment, Gender, Status


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # text | date | enum | id_number | phone | tags | org
    required: bool = False
    max_length: int = 0
    help: str = ""
    example: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (label written in the file, stored value)
    aliases: tuple[tuple[str, str], ...] = ()  # other words people type for the same value
    default: str = ""

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.choices]

    def lookup(self) -> dict[str, str]:
        return {**dict(self.aliases), **dict(self.choices)}

    def label_of(self, value: str) -> str:
        for label, stored in self.choices:
            if stored == value:
                return label
        return ""


GENDER_CHOICES = (("男", Gender.MALE.value), ("女", Gender.FEMALE.value))
EDUCATION_CHOICES = (
    ("研究生", Education.POSTGRADUATE.value),
    ("大学本科", Education.BACHELOR.value),
    ("大学专科", Education.COLLEGE.value),
    ("中专/高中", Education.SECONDARY.value),
    ("初中及以下", Education.JUNIOR.value),
)
EDUCATION_ALIASES = (
    ("博士", Education.POSTGRADUATE.value), ("硕士", Education.POSTGRADUATE.value),
    ("博士研究生", Education.POSTGRADUATE.value), ("硕士研究生", Education.POSTGRADUATE.value),
    ("本科", Education.BACHELOR.value), ("大专", Education.COLLEGE.value), ("专科", Education.COLLEGE.value),
    ("高中", Education.SECONDARY.value), ("中专", Education.SECONDARY.value),
    ("中技", Education.SECONDARY.value), ("职高", Education.SECONDARY.value),
    ("初中", Education.JUNIOR.value), ("小学", Education.JUNIOR.value),
)
CATEGORY_CHOICES = (("正式党员", Category.FULL.value), ("预备党员", Category.PROBATIONARY.value))
CATEGORY_ALIASES = (("正式", Category.FULL.value), ("预备", Category.PROBATIONARY.value))
STATUS_CHOICES = (
    ("在册", Status.ACTIVE.value),
    ("失联", Status.LOST_CONTACT.value),
    ("已转出", Status.TRANSFERRED_OUT.value),
    ("已去世", Status.DECEASED.value),
)
STATUS_ALIASES = (
    ("正常", Status.ACTIVE.value), ("转出", Status.TRANSFERRED_OUT.value),
    ("去世", Status.DECEASED.value), ("死亡", Status.DECEASED.value),
)
EMPLOYMENT_CHOICES = (
    ("在职", Employment.EMPLOYED.value),
    ("离退休", Employment.RETIRED.value),
    ("学生", Employment.STUDENT.value),
    ("农民（无固定收入）", Employment.FARMER.value),
    ("无业", Employment.UNEMPLOYED.value),
)
EMPLOYMENT_ALIASES = (
    ("退休", Employment.RETIRED.value), ("离休", Employment.RETIRED.value),
    ("农民", Employment.FARMER.value), ("农民(无固定收入)", Employment.FARMER.value),
    ("失业", Employment.UNEMPLOYED.value), ("待业", Employment.UNEMPLOYED.value),
)

DATE_HELP = "日期，如 2020-01-05、2020/1/5、2020.1.5 或 20200105"

COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", "text", required=True, max_length=50, example="张建国"),
    Column("性别", "gender", "enum", required=True, choices=GENDER_CHOICES, example="男",
           help="须与身份证号第17位一致（奇数为男，偶数为女）"),
    Column("民族", "ethnicity", "text", max_length=20, default="汉族", example="汉族", help="不填默认为汉族"),
    Column("出生日期", "birth_date", "date", required=True, example="1980-05-17",
           help=DATE_HELP + "；须与身份证号中的出生日期一致"),
    Column("身份证号", "id_number", "id_number", required=True, example="110105198005170017",
           help="18位居民身份证号，末位可为X；请将该列设为文本格式，避免 Excel 吞掉末几位"),
    Column("手机号", "phone", "phone", example="13800138000", help="11位手机号，可不填"),
    Column("学历", "education", "enum", choices=EDUCATION_CHOICES, aliases=EDUCATION_ALIASES,
           example="大学本科"),
    Column("入党日期", "joined_on", "date", required=True, example="2005-07-01", help=DATE_HELP),
    Column("转正日期", "full_member_on", "date", example="2006-07-01", help=DATE_HELP + "；预备党员不填"),
    Column("党员类别", "category", "enum", required=True, choices=CATEGORY_CHOICES,
           aliases=CATEGORY_ALIASES, example="正式党员"),
    Column("人员状态", "status", "enum", choices=STATUS_CHOICES, aliases=STATUS_ALIASES,
           default=Status.ACTIVE.value, example="在册", help="不填默认为在册"),
    Column("就业情况", "employment", "enum", choices=EMPLOYMENT_CHOICES, aliases=EMPLOYMENT_ALIASES,
           default=Employment.EMPLOYED.value, example="在职", help="决定党费缴纳档次；不填默认为在职"),
    Column("工作单位及职务", "job", "text", max_length=100, example="和平社区居委会 主任"),
    Column("家庭住址", "address", "text", max_length=200, example="和平路1号3栋201室"),
    Column("标签", "tags", "tags", example="老党员、困难党员", help="多个标签用顿号“、”或逗号分隔，每个不超过20字"),
    Column("所在组织代码", "org", "org", required=True, example="B001",
           help="党员所在党支部（党总支、党小组）的组织代码，见“组织代码”工作表"),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
BY_FIELD: dict[str, Column] = {c.field: c for c in COLUMNS}
# Added by the error workbook; ignored on import so a corrected error workbook
# can be uploaded again as it is.
ERROR_HEADER = "错误说明"
DATA_SHEET = "党员名册"
