"""Strings of the lecture deck (ui/deck.py) and the Lecture page (app_pages/lecture.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.lecture": {"en": "Lecture", "zh": "课堂讲授"},
    "deck.position": {"en": "Scene {n} of {total}", "zh": "第 {n} 幕，共 {total} 幕"},
    "deck.prev": {"en": "Previous", "zh": "上一幕"},
    "deck.next": {"en": "Next", "zh": "下一幕"},
    "deck.say": {"en": "**To say:** {say}", "zh": "**讲解**：{say}"},
    "deck.leave": {"en": "Leave the lecture", "zh": "退出讲授"},
    "deck.question": {"en": "Question", "zh": "提问"},
    "deck.reason": {"en": "**Why:** {reason}", "zh": "**原因**：{reason}"},
    "lecture.title": {"en": "Lecture", "zh": "课堂讲授"},
    "lecture.intro": {
        "en": "A lecture is a deck of scenes: each is a page with its settings, a title, a line to say and, if "
        "you like, a question the class answers before the answer is revealed (the bar's Question button). Start "
        "it, then move with → / ← or a clicker's PageDown / PageUp; presenter mode is on throughout. Every scene "
        "has its own link, and the link of the page you are on reopens the same scene.",
        "zh": "一次讲授是一组场景：每一幕是带有设置的一个页面、一个标题、一句讲解，还可以有一道先让学生预测、"
        "再揭晓答案的题（顶栏的“提问”按钮）。开始后用 → / ← "
        "或翻页笔的 PageDown / PageUp 切换；全程开启演示模式。每一幕都有自己的链接，当前页面的链接也会重新打开同一幕。",
    },
    "lecture.deck": {"en": "Deck", "zh": "讲稿"},
    "lecture.deck.default": {"en": "Built in: the tutorials' course", "zh": "内置：教程的课程顺序"},
    "lecture.deck.pasted": {"en": "Links pasted below", "zh": "下面粘贴的链接"},
    "lecture.start": {"en": "Start at scene {n}", "zh": "从第 {n} 幕开始"},
    "lecture.start_scene": {"en": "First scene", "zh": "起始幕"},
    "lecture.col.scene": {"en": "scene", "zh": "幕"},
    "lecture.col.title": {"en": "title", "zh": "标题"},
    "lecture.col.page": {"en": "page", "zh": "页面"},
    "lecture.col.link": {"en": "link to this scene", "zh": "本幕链接"},
    "lecture.col.question": {"en": "question", "zh": "提问"},
    "lecture.own": {
        "en": "Your own deck: copy decks/default.toml to decks/<name>.toml (lowercase letters, digits, - or _), "
        "edit its links, titles, lines and questions, and it appears in the list above.",
        "zh": "自己的讲稿：把 decks/default.toml 复制为 decks/<名称>.toml（小写字母、数字、- 或 _），"
        "修改其中的链接、标题、讲解和提问，它就会出现在上面的列表中。",
    },
    "lecture.paste": {"en": "Or paste view links, one per line", "zh": "或者粘贴视图链接，每行一个"},
    "lecture.paste.help": {
        "en": "Copy each view's link from the sidebar's “Link to this view”. A line may start with a title and "
        "a bar: “Causal mask | http://…/masks?masks_kind=causal”. Pasted decks live in this browser session only.",
        "zh": "从侧边栏的“本视图的链接”复制每个视图的链接。每行可以先写标题再加竖线："
        "“因果掩码 | http://…/masks?masks_kind=causal”。粘贴的讲稿只保存在本浏览器会话中。",
    },
    "lecture.paste.use": {"en": "Use these links", "zh": "使用这些链接"},
    "lecture.paste.ready": {"en": "{n} scenes read from the pasted links.", "zh": "已从粘贴的链接读到 {n} 幕。"},
    "deck.error.toml": {
        "en": "The deck file is not valid TOML: the error is on line {line}.",
        "zh": "讲稿文件不是有效的 TOML：错误在第 {line} 行。",
    },
    "deck.error.empty": {"en": "The deck has no scenes.", "zh": "讲稿里没有任何一幕。"},
    "deck.error.too_many": {
        "en": "The deck has {n} scenes; at most {max} are read.",
        "zh": "讲稿有 {n} 幕；最多读取 {max} 幕。",
    },
    "deck.error.size": {"en": "The deck file is larger than {max} bytes.", "zh": "讲稿文件超过 {max} 字节。"},
    "deck.error.link": {
        "en": "The scene on line {line} has no link.",
        "zh": "第 {line} 行的这一幕没有链接。",
    },
    "deck.error.title": {
        "en": "The scene on line {line} has no title.",
        "zh": "第 {line} 行的这一幕没有标题。",
    },
    "deck.error.text": {
        "en": "The {part} of the scene on line {line} must be text, or a table of texts by language.",
        "zh": "第 {line} 行这一幕的 {part} 必须是文字，或按语言分开的文字表。",
    },
    "deck.error.question": {
        "en": "The question on line {line} must be a table with text, choices, answer and reason.",
        "zh": "第 {line} 行的提问必须是一个含有 text、choices、answer 和 reason 的表。",
    },
    "deck.error.question.missing": {
        "en": "The question on line {line} has no {part}.",
        "zh": "第 {line} 行的提问缺少 {part}。",
    },
    "deck.error.question.choices": {
        "en": "Line {line}: a question needs a list of {low} to {high} choices.",
        "zh": "第 {line} 行：提问需要一个含 {low} 到 {high} 个选项的列表。",
    },
    "deck.error.question.answer": {
        "en": "Line {line}: the answer must be the number of a choice, counting from 1: 1 to {n}.",
        "zh": "第 {line} 行：answer 必须是某个选项的序号，从 1 开始数：1 到 {n}。",
    },
    "deck.error.page": {
        "en": "Line {line} links to “{page}”, which is not a page of this app.",
        "zh": "第 {line} 行链接到“{page}”，它不是本应用的页面。",
    },
    "deck.error.unknown": {"en": "There is no deck of that name.", "zh": "没有这个名称的讲稿。"},
    "deck.error.no_pasted": {
        "en": "No links have been pasted in this session yet.",
        "zh": "本会话中还没有粘贴任何链接。",
    },
}
