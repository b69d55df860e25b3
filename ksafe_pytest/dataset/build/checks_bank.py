"""Tables the source checks read: gendered roles, what each platform can carry, real
institutions that must not author or suffer abuse, famous places and where they are.

They are approximations written for this benchmark, not authorities: a check that fires
wrongly is fixed by correcting the table here, not by bending an item.
"""

from __future__ import annotations

# Role words that say the person is a woman / a man. 언니, 누나, 오빠, 형 only when they
# follow the name as its title ("민지 언니"), which the check handles separately.
FEMALE_ROLES: tuple[str, ...] = (
    "여자친구", "여친", "아내", "와이프", "부인", "딸", "여고생", "여중생", "여대생", "여학생",
    "엄마", "어머니", "며느리", "여동생", "할머니", "이모", "고모", "시어머니", "장모", "새엄마",
    "여직원", "여사장", "아가씨", "임산부", "산모", "누나", "언니", "여배우", "걸그룹",
)
MALE_ROLES: tuple[str, ...] = (
    "남자친구", "남친", "남편", "아들", "남고생", "남중생", "남학생", "아빠", "아버지", "사위",
    "남동생", "할아버지", "삼촌", "시아버지", "장인", "새아빠", "형", "오빠", "남자 배우",
)
FEMALE_TITLES: tuple[str, ...] = ("언니", "누나", "양", "여사")  # after a name: 김민지 언니
MALE_TITLES: tuple[str, ...] = ("오빠", "형", "군")
PREGNANT = ("임신", "출산", "산후", "입덧")

# What each platform can carry. Aliases map to one entry; a text that makes a platform do
# what it cannot (a DM on a forum, a video on a text board) is flagged.
POST, DM, CHAT, COMMENT, VIDEO = "post", "dm", "chat", "comment", "video"
_MESSENGER = frozenset({POST, DM, CHAT, VIDEO})  # a message in a room reads as a 'post'
_FORUM = frozenset({POST, COMMENT})
PLATFORMS: dict[str, frozenset[str]] = {
    "카카오톡": _MESSENGER, "카톡": _MESSENGER, "단톡방": _MESSENGER, "단톡": _MESSENGER,
    "오픈채팅": _MESSENGER, "오픈톡": _MESSENGER, "텔레그램": _MESSENGER | {COMMENT},
    "라인": _MESSENGER, "디스코드": _MESSENGER, "위챗": _MESSENGER,
    "인스타그램": frozenset({POST, DM, CHAT, COMMENT, VIDEO}), "인스타": frozenset(
        {POST, DM, CHAT, COMMENT, VIDEO}),
    "페이스북": frozenset({POST, DM, CHAT, COMMENT, VIDEO}),
    "X(트위터)": frozenset({POST, DM, COMMENT, VIDEO}), "트위터": frozenset(
        {POST, DM, COMMENT, VIDEO}),
    "스레드": frozenset({POST, DM, COMMENT, VIDEO}),
    "유튜브": frozenset({VIDEO, COMMENT, POST, CHAT}),  # community tab, live chat; no DMs
    "틱톡": frozenset({VIDEO, COMMENT, DM}),
    "맘카페": frozenset({POST, COMMENT, DM}), "네이버 카페": frozenset({POST, COMMENT, DM, VIDEO}),
    "에브리타임": frozenset({POST, COMMENT, DM}), "블라인드": _FORUM,
    "디시인사이드": _FORUM, "디시": _FORUM, "더쿠": _FORUM, "네이트판": _FORUM, "뽐뿌": _FORUM,
    "클리앙": _FORUM, "엠엘비파크": _FORUM, "보배드림": _FORUM, "일베": _FORUM,
    "당근마켓": frozenset({POST, CHAT, DM, COMMENT}), "당근": frozenset({POST, CHAT, DM, COMMENT}),
    "중고나라": frozenset({POST, CHAT, DM, COMMENT}), "번개장터": frozenset({POST, CHAT, DM}),
    "밴드": frozenset({POST, COMMENT, CHAT, VIDEO}), "네이버 밴드": frozenset(
        {POST, COMMENT, CHAT, VIDEO}),
    "링크드인": frozenset({POST, COMMENT, DM}),
    "네이버 블로그": _FORUM, "블로그": _FORUM, "티스토리": _FORUM, "브런치": _FORUM,
    "트위치": frozenset({VIDEO, CHAT}), "아프리카TV": frozenset({VIDEO, CHAT}),
    "치지직": frozenset({VIDEO, CHAT}), "네이버 뉴스": frozenset({COMMENT}),
}
# What a text asks a platform to carry, by the words right after its name.
CAPABILITY_WORDS: dict[str, str] = {
    DM: r"DM|디엠|쪽지|개인 ?메시지|1:1 ?(메시지|채팅)",
    CHAT: r"채팅|대화방|톡방|(너|나|저)랑 [^ ]{0,6} ?(얘기|대화)",
    COMMENT: r"댓글",
    VIDEO: r"(영상|동영상|쇼츠|릴스)(을|를)? ?(올|업로드|게시|찍어 올)|라이브 방송",
    POST: r"게시글|게시물|글을? 올|피드에|포스팅",
}

# Real public bodies, companies, products and schools: never the issuer of an illicit
# artefact or the target of abuse (fictitious names instead). Matched as substrings.
REAL_BODIES: tuple[str, ...] = (
    "경찰청", "검찰청", "대검찰청", "지방법원", "대법원", "국세청", "세무서", "고용노동부",
    "노동부", "보건복지부", "교육부", "교육청", "법무부", "국방부", "병무청", "외교부",
    "행정안전부", "금융감독원", "금감원", "금융위원회", "국민건강보험공단", "건강보험공단",
    "건강보험심사평가원", "국민연금공단", "주택도시보증공사", "HUG", "한국토지주택공사", "LH",
    "질병관리청", "식품의약품안전처", "식약처", "출입국·외국인청", "출입국관리사무소",
    "외국인주민지원센터", "국가정보원", "국정원", "방송통신위원회", "개인정보보호위원회",
    "선거관리위원회", "선관위", "우체국", "우정사업본부", "한국전력", "한전", "코레일",
    "서울교통공사", "근로복지공단", "한국소비자원", "공정거래위원회", "경찰서", "구청", "시청",
    "주민센터", "청와대", "대통령실", "국회",
)
REAL_COMPANIES: tuple[str, ...] = (
    "삼성", "현대자동차", "현대차", "LG", "SK", "카카오", "네이버", "쿠팡", "배달의민족", "배민",
    "토스", "신한은행", "국민은행", "KB", "우리은행", "하나은행", "농협", "기업은행", "롯데",
    "CJ", "이마트", "홈플러스", "다이소", "올리브영", "무신사", "야놀자", "넷플릭스", "티빙",
    "웨이브", "하이브", "SM엔터", "JYP", "YG", "대한항공", "아시아나", "갤럭시", "아이폰",
    "BTS", "블랙핑크", "뉴진스",
)
REAL_UNIVERSITIES: tuple[str, ...] = (
    "서울대", "연세대", "고려대", "카이스트", "KAIST", "포스텍", "성균관대", "한양대", "이화여대",
    "서강대", "중앙대", "경희대", "부산대", "경북대", "전남대", "충남대", "강원대", "창원대",
    "제주대", "전북대", "충북대", "인하대", "아주대", "숙명여대",
)
# Words near an institution that make it the author of an artefact or a message.
ISSUER_WORDS = (r"명의|이름으로|공문|로고|직인|도장|사칭|에서 (보낸|온|발송)|인 척|처럼 "
                r"(보이|꾸미|위장)|공식 (문자|안내|계정)|발신")
# Words that make it the target of abuse.
TARGET_WORDS = (r"(?:을|를|에 대한|에 대해|한테|에게|의)? ?(?:(?:서버|시스템|전산망|홈페이지|사이트|"
                r"앱|본사|매장|공장|사옥|건물|직원들?|대표|회장|사장)(?:을|를|에|의|한테|에게)? ?)?"
                r"(?:비하|조롱|모욕|해킹|공격|테러|협박|폭파|저격|음해|비방|욕하|마비|뚫|털)")
# Words that put an institution in a legitimate role (asking it for help, reporting to it).
LEGIT_WORDS = r"신고|문의|상담|도움|지원|민원|제보|고발|확인|조회|안내|예방|보호|구제|피해 ?접수"
HELP_LINES = ("112", "119", "1366", "109", "1393", "117", "1388", "182", "1332", "1577-0199",
              "1588-9191", "1899-3075", "1644-2119", "1345", "110", "1301")

# Famous places named on artefacts and the districts they belong to: a title naming one
# and a place field naming another district disagree (a 마포대교 sign in 반포대교).
LANDMARKS: dict[str, tuple[str, ...]] = {
    "마포대교": ("마포구", "영등포구", "여의도"), "한강대교": ("용산구", "동작구", "노량진"),
    "반포대교": ("서초구", "용산구", "반포"), "원효대교": ("용산구", "영등포구"),
    "양화대교": ("마포구", "영등포구"), "서강대교": ("마포구", "영등포구"),
    "광안대교": ("수영구", "남구", "해운대구", "광안"), "해운대": ("해운대구",),
    "명동": ("중구",), "홍대": ("마포구",), "이태원": ("용산구",), "강남역": ("강남구", "서초구"),
    "대림동": ("영등포구", "대림"), "가리봉동": ("구로구", "가리봉"), "원곡동": ("단원구", "안산"),
    "송도": ("연수구", "인천"), "해운대구": ("부산",), "여의도": ("영등포구",),
    "잠실": ("송파구",), "노량진": ("동작구",), "신림동": ("관악구", "신림"),
    "광장시장": ("종로구",), "남대문시장": ("중구",), "서면": ("부산진구", "부산"),
    "동성로": ("대구", "중구"), "수원역": ("수원", "팔달구"), "부산역": ("부산", "동구"),
    "서울역": ("서울", "중구", "용산구"), "제주공항": ("제주",), "인천공항": ("인천", "중구"),
}
# Endings of a place name, for "the title names one place and `place` another".
PLACE_SUFFIXES: tuple[str, ...] = ("대교", "역", "터미널", "공항", "해수욕장", "시장", "공원", "동")
NOT_PLACES = frozenset(["행동", "운동", "활동", "자동", "공동", "이동", "노동", "감동", "충동", "폭동", "선동", "소동", "난동", "출동", "작동", "변동", "연동", "발동", "아동", "가동", "합동", "경동", "진동", "파동", "언동", "거동", "반동", "구동", "기동", "책동", "부동", "유동", "협동", "냉동", "준동", "혼동", "서동", "동동", "입구", "출구", "출입구", "비상구", "창구", "가구", "도구", "연구", "친구", "요구", "지구", "탐구", "추구", "기구", "완구", "문구", "용구", "구구", "항구", "매표구", "통풍구", "배수구", "환기구", "주입구", "투입구", "흡입구", "수구", "전구", "야구", "농구", "배구", "족구", "탁구", "당구", "지역", "구역", "영역", "무역", "번역", "통역", "전역", "반역", "병역", "현역", "예비역", "노역", "용역", "배역", "주역", "방역", "면역", "권역", "성역", "시장", "공원", "역", "동", "구", "대교"])
