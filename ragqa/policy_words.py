"""Everyday words and the words workplace articles use for the same things.

Staff ask in their own words ("who signs off my trip?", "my wallet got nicked", "the trial period"); policies
are written in others ("approves", "stolen", "probation"). The small embedding model links some of these pairs
and misses others, and exact-word overlap misses them all. This table is general English usage about work,
travel, IT and offices, not any corpus's wording: each entry maps a pattern of everyday wording to the policy
words it stands for. A question is read with those words added only where the passages use them
(`with_policy_words`), so nothing is added that could not help.
"""

from __future__ import annotations

import re
from functools import cache

from ragqa.words import content_terms, stem

# 'where do we go', 'where are we supposed to wait': where everyone is sent
_WHERE_TO_GO = (r"\bwhere (?:(?:do|does|should|shall|must|can|could|would|will|are|is|am) (?:we|i|you|they|he|she"
                r"|everyone|everybody|people|staff"
                r"|(?:my|our|the|your) (?:[\w-]+ ){0,2}?(?:team|colleagues|staff|people|visitors|guests))"
                # (or the subject first: 'where everybody must go and wait outside?')
                r"|(?:we|i|everyone|everybody|people|staff|all of us) (?:must|should|have to|need to|can|shall))"
                r" (?:all )?(?:have to |need to |got to |(?:supposed|meant|expected|told) to )?"
                r"(?:go|head|wait|stand|meet|gather)")
# Falling ill or getting hurt, and being away for work (for the travel insurer's medical emergency abroad)
_UNWELL = (r"ill|sick|unwell|injured|hurt|fever|c[oa]me down with|coming down with|caught (?:a|something|the)"
           r"|food poisoning|(?:see|need|find) a doctor|hospital|a (?:bug|virus)")
_AWAY = (r"(?:business|work) trip|abroad|overseas|on a (?:customer |site |field )?(?:trip|visit)"
         r"|in (?:an?other|other|a foreign|foreign) country")

# (everyday wording, the policy words it stands for). Patterns are matched case-insensitively on word boundaries.
_EQUIVALENTS: tuple[tuple[str, str], ...] = (
    # approval and permission
    # ('who OKs my trip?', 'get it okayed'; not 'let them know I'm OK')
    (r"sign(?:s|ed|ing)?(?: it| them| this| that)?[ -]off"
     r"|okay(?:s|ed)|o\.?k\.?(?:['’]?d|s)\b|ok(?:ay)? (?:it|this|that|my|the|a)\b|(?:give|get|gets|got|need)(?: \w+)?"
     r" (?:the )?(?:ok|okay)\b|green[ -]light|give the go[ -]ahead|authori[sz]e[sd]?",
     "approve approval"),
    # employment
    (r"trial period|probationary period|trial", "probation"),
    (r"fortnight(?:['’]s)?", "two weeks"),
    # a country by its other names, as tables label their rows ('the United States': the 'USA and Canada' row)
    (r"(?:the )?united states(?: of america)?|the states|(?<!south )(?<!latin )(?<!central )(?<!north )america(?!n)",
     "USA"),
    (r"(?:the )?united kingdom|great britain|britain|england|scotland|wales", "UK"),
    # ('going away for a fortnight': time off, not a trip, when only its length is said)
    (r"holidays?|vacations?|time off|(?:days?|weeks?) off|annual leave|pto"
     r"|(?:going|go|went|be|being) away for (?:a|an|one|two|three|\d+) (?:fortnight|weeks?|days?)", "leave"),
    (r"sick|ill|unwell|fever|flu|poorly|under the weather|can'?t work|not well"
     r"|feel(?:ing|s)? (?:rough|awful|terrible|rotten|dreadful|horrible|rubbish|grim|ropey|ropy)"
     r"|(?:won'?t|can'?t|cannot|not going to|not gonna) (?:make it|come|get) in(?:to)?|not coming in|throwing up"
     # ('no way I'm making it into Leeds today')
     r"|no way (?:i['’]?m|i am|i can|i['’]?ll|i will) (?:make|making|get|getting|come|coming)(?: it)? in(?:to)?\b"
     r"|migraine"
     r"|(?:a |high |running a )temperature|a temp|covid|(?:a |bad )(?:cold|cough)|vomit\w*|stomach bug"
     r"|food poisoning|sore throat|c[oa]me down with|coming down with|caught (?:a|something|the)\b"
     # (not a bug in code: 'stuck on a bug', 'fixing a bug')
     r"|(?<!on )(?<!fix )(?<!fixing )(?<!found )(?:a|some) (?:bug|virus)(?! (?:in|report|fix)\b)"
     r"|something nasty"
     # ('can barely get out of bed')
     r"|(?:barely|hardly|can'?t|cannot|not able to) (?:even )?(?:get|move|crawl) out of bed|stuck in bed|bed-?bound",
     "sickness absence illness"),
    # an injury or condition that makes leaving a building hard ('broke my leg, on crutches')
    (r"(?:broke|broken|sprained|fractured|injured|hurt|bad) (?:my |his |her |their )?(?:leg|ankle|foot|knee|hip|back)"
     r"|on crutches|crutches|(?:in|use|uses|using) a wheelchair|wheelchair user|(?:leg|foot|arm) (?:is )?in a cast"
     r"|(?:can'?t|cannot|struggle to) (?:walk|manage (?:the )?stairs)|hard of hearing|(?:deaf|partially sighted)",
     "temporary mobility impairment"),
    # how one gets out when the alarm sounds ('how am I meant to get out?')
    (r"how (?:am|do|will|would|should|can|could) (?:i|we|they|he|she) (?:be )?(?:meant to |supposed to |going to )?"
     r"(?:get|go|make it) out\b|get (?:myself |them |him |her )?out of the building", "building evacuation"),
    # falling ill or getting hurt while travelling for work is a medical emergency abroad, for the travel insurer
    # ('on a work trip in Germany and have come down with something. I need to see a doctor.')
    (rf"\b(?:{_UNWELL})\b[^.?!]{{0,60}}\b(?:{_AWAY})\b|\b(?:{_AWAY})\b[^?!]{{0,80}}\b(?:{_UNWELL})\b",
     "emergency abroad"),
    # evidence of sickness from a doctor ('a note from my GP', 'a sick note', 'a medical certificate')
    (r"(?:a |the )?note from (?:a|my|the|your) (?:doctor|gp|hospital)|sick ?note|medical (?:note|certificate)"
     r"|\b(?:something|anything|a letter|paperwork) from (?:a|my|the|your) (?:doctor|gp|hospital)"
     r"|doctor['’]?s? (?:note|letter|certificate|paper)", "doctor's note fit note certificate"),
    # the day an absence starts: what to do 'today' is the first day's procedure
    # ('woke up at 7am on Tuesday 3 March with a high temperature')
    (r"(?:wake|woke|woken|waking) up (?:(?:today|this morning|really|very|so|quite|pretty|a bit|feeling) )*"
     r"(?:(?:at|on|around|about) [\w:.]+(?:,? [\w:.]+){0,5}?,? )?(?:with"
     r"|feeling|sick|ill|unwell|poorly)"
     # ... or tomorrow's: 'feel awful, can't come in tomorrow'
     r"|(?:sick|ill|unwell|poorly|off|awful|rough|terrible) (?:today|this morning|tomorrow)"
     r"|can'?t work (?:today|tomorrow)|(?:stay|staying|stuck) (?:at )?home(?: sick)? (?:today|this morning|tomorrow)"
     r"|(?:be|make it|making it|come|coming|get|getting|go|going) (?:in(?:to)?|to)(?: the| work)?(?: \w+ office)?"
     r"(?: work)? (?:today|tomorrow)"
     # ... and so is being too ill to come in at all ('what do I do when I'm too sick to come in?')
     r"|too (?:sick|ill|unwell|poorly) to (?:(?:come|get|make it|go) in\b|(?:come|get|go) to work|work\b)"
     # ('Too sick for work, what now?')
     r"|too (?:sick|ill|unwell|poorly) for (?:work|the office)\b",
     "first day"),
    (r"boss|supervisor|line manager|team lead(?:er)?", "manager"),
    # who runs a scheme is its lead or owner ('Who runs the buddy scheme?': 'Programme lead: ...')
    (r"who (?:runs|organi[sz]es|coordinates|manages|oversees|looks after|is in charge of|is responsible for)",
     "lead owner coordinator"),
    (r"wages?|pay ?cheque|paycheck|pay ?slip|payday|get paid", "salary pay payroll"),
    (r"quit|resign(?:ing|ation)?|hand in my notice|leave the company", "notice resignation"),
    (r"sacked|fired|let go|dismissed", "dismissal"),
    (r"new (?:starter|joiner|hire|employee)s?|just started|joining", "new starter onboarding"),
    (r"wife|husband|(?:my|our|her|his) partner|spouse|kids?|children|child|sons?|daughters?|parents?|mum|mom|dad"
     r"|relatives?|brothers?|sisters?|siblings?|gran(?:ny|dma|dad)?|grand(?:ma|pa|mother|father|parents?)|nan|aunt(?:ie)?"
     r"|uncle|cousins?|in-laws", "family"),
    (r"(?:friend|mate|pal)s?(?:['’]s?)?", "friends"),
    # ('anything on top of my daily meal money?': what is paid in addition to it)
    (r"on top of|over and above|besides", "in addition to"),
    # sleeping at someone's home on a trip is staying with friends or family instead of a hotel
    (r"(?:crash(?:ing|ed)?|sleep(?:ing)?|slept|stay(?:ing|ed)?|kip(?:ping)?|dossing) (?:at|on|with|in) "
     r"(?:(?:a|my|his|her|their|our) )?(?:[\w'’-]+ ){0,2}?(?:place|flat|house|home|sofa|couch|spare room)"
     r"|put(?:ting)? (?:me|us|him|her|them) up"
     # ('gonna crash at my cousin's', 'staying with my sister')
     r"|(?:crash(?:ing|ed)?|sleep(?:ing)?|slept|stay(?:ing|ed)?|kip(?:ping)?) (?:at|with) (?:my|his|her|their|our) "
     r"(?!(?:hotel|office|airbnb|team|colleague)s?\b)(?:[\w-]+ )?(?!(?:hotel|office|airbnb)s?\b)[\w-]+['’]s?\b",
     "stay instead of a hotel"),
    (r"someone else|somebody else|another (?:one|person)", "different"),
    (r"roll(?:ed|ing)? (?:it |them )?over|carr(?:y|ied) (?:it |them )?(?:over|forward)|bring (?:it |them )?forward"
     # 'how many days can I take into next year?', 'save some for next year'
     r"|(?:take|bring|move|keep|save|transfer|use|roll|carry|drag|push|shift) (?:\w+ ){0,3}?(?:into|over to|to|for|till"
     r"|until|over into)"
     r" (?:next year"
     r"|the (?:next|new|following) (?:leave )?year|20\d\d)"  # ('... can I take into 2027?')
     # ('how many days can I keep and use next year?')
     r"|(?:keep|save)(?: \w+){0,2}? (?:and |to )?use (?:them |it )?(?:next|the next|the following) year"
     # ('6 days of holiday left over at the end of 2026': days unused at a year's end are carried or lost)
     r"|(?:left ?over|leftover|unused|remaining|left)\b[^.?!]{0,20}\b(?:(?:at|by) the end of (?:the )?(?:year|20\d\d)"
     r"|(?:at )?year[- ]end)"
     # ('the holiday days I moved from last year')
     r"|(?:moved|brought|carried|rolled|transferred|took|taken)(?: \w+){0,2}? (?:over )?from (?:last|the previous"
     r"|the old) year",
     "carry over carry-over"),
    (r"courses?|workshops?|conferences?|upskill(?:ing)?|qualifications?|professional development|textbooks?"
     r"|certifications?|certs|(?:get|getting|become|becoming) certified"
     # ('improving their professional skills', 'career development')
     r"|(?:professional|work|job|career) skills|(?:improv|build|develop|grow|brush)\w* up (?:\w+ ){0,2}skills"
     r"|(?:improv|build|develop|grow)\w* (?:\w+ ){0,2}skills|skills? development|career development"
     r"|get(?:ting)? better at (?:my|their|your|our|his|her) (?:job|work|role)",
     "training learning"),
    # money set aside each year for one's learning is a budget ('an annual sum for professional development')
    # ('any cash each year to put toward a course', 'money set aside for me to do that each year')
    (r"(?:annual|yearly|per year) (?:sum|pot|allowance|amount|money|cash)|\b(?:sum|pot|allowance|money|cash|funds?)\b"
     r"[^.?!]{0,50}?\b(?:each|every|per|a) (?:year|yr)\b", "budget"),
    # what a car runs on ('Can I claim back the petrol?')
    (r"(?:petrol|diesel)(?! (?:station|garage|pump)s?\b)|gas(?:oline)?(?= (?:for|in|money|costs?|bills?|receipts?"
     r"|claims?)\b)|filling up|fill(?:ed)? up",
     "fuel"),
    # the last moment for something ('Is there a cut-off for sending that claim in?')
    (r"cut-? ?offs?|latest (?:date|day|time)|(?:last|final) (?:date|day) (?:to|for)|how late can", "deadline"),
    (r"overtime|extra hours", "overtime"),
    # a late hour, a night or a weekend is outside office hours ('it's 11pm', 'in the middle of the night')
    (r"\b(?:(?:9|10|11|12)(?::\d\d)? ?pm|midnight|[1-5](?::\d\d)? ?am|late (?:at night|in the evening)"
     r"|(?:in the )?middle of the night|at the weekend|on a (?:saturday|sunday)|after hours"
     # ('It's 11 at night so the normal desk is closed')
     r"|(?:9|10|11|12|[1-5])(?: o['’]clock)? at night|(?:desk|office|line|phones?) (?:is |are )?(?:now )?closed)\b",
     "outside hours out-of-hours"),
    # a cancelled or delayed journey is a disrupted one ('my flight got cancelled')
    (r"\b(?:flight|train|trip|travel|journey|connection)s? (?:(?:\w+ ){0,3}?(?:cancel+ed|delayed|disrupted)"
     r"|(?:\w+ ){4,6}?cancel+ed)\b"  # ('my flight back to Leeds has just been cancelled')
     r"|\b(?:cancel+ed|delayed|missed) (?:flight|train|connection)s?\b", "disrupted"),
    # money
    # a claim or form is submitted, however it is handed over ('how long have I got to put the claim in?')
    (r"(?:put|putting|send|sending|hand|handing|get|getting|file|filing|lodge|lodging) (?:in )?(?:the |a |my |your |our"
     r" |this |that )?(?:expense )?(?:claims?|forms?|expenses|receipts?)(?: in)?\b", "submit"),
    (r"atms?|cash ?machines?|cash ?points?|hole in the wall", "cash withdrawal withdrawals"),
    (r"expense|reimburs\w*|pay(?:s|ing)? (?:me )?back|claim back|refund(?:ed)?|(?:get |getting )?(?:my |the )?money"
     r" back", "claim expenses"),
    # driving one's own car for work is claimed as mileage ('money back for driving my own car')
    # ('driving my own motor over to a depot': British slang for one's car)
    (r"dr(?:ive|ives|iving|iven|ove) (?:my|your|our|his|her|their) (?:own )?(?:car|motor(?! ?(?:bike|cycle|scooter)))"
     r"(?! to the office| into work| to work| in\b)"
     r"|(?:use|using) (?:my|your|our|his|her|their) own (?:car|motor|vehicle) for (?:work|business)"
     # ('if I take my own motor out to see a customer')
     r"|(?:take|takes|taking|took|taken) (?:my|your|our|his|her|their) own (?:car|motor(?! ?(?:bike|cycle|scooter))"
     r"|vehicle)", "mileage"),
    # ('lost the slip for a taxi': a slip of paper one is given for a payment, not a fall)
    (r"proof of (?:purchase|payment)|till (?:slip|receipt)s?|(?:card )?payment slips?"
     r"|(?:lost|lose|misplaced|mislaid|threw away|binned|kept|have|got) (?:the|my|a|that) slip\b", "receipt receipts"),
    # jabs and pills for a trip ('need a load of jabs plus anti-mozzie tablets')
    (r"jabs?|injections?|shots? for (?:the )?(?:trip|travel)|immuni[sz](?:ations?|ed)|inoculat\w+",
     "vaccination vaccinations"),
    (r"anti-?(?:mozzie|mosquito|malarial?) (?:tablets|pills|meds|medicine)|malaria (?:tablets|pills|meds)",
     "anti-malaria medication"),
    # ('the most the hotel can cost', 'the most I'm allowed to spend')
    (r"max(?:imum)?|most i can|upper limit|cap|ceiling|how much can i"
     r"|(?:the|at) most (?:[\w'’-]+ ){0,3}?(?:can|could|may|(?:is |am |are )?allowed to|should)"
     r" (?:cost|spend|be|claim|pay|charge|borrow|put)", "maximum limit cap"),
    # how big a thing may be is said by keeping it small or what counts as larger
    (r"how (?:big|large)|biggest|largest|max(?:imum)? size|size limit|too (?:big|large)", "small large larger"),
    (r"(?:take|takes|taking|took) (?:a |the |our |my )?(?:customer|client)s? out"
     r"|(?:customer|client) (?:dinner|lunch|drinks)"
     # ('take two of the council's people for dinner', 'a meal with a supplier'): a meal with those from outside
     r"|\b(?:customers?|clients?|councils?|suppliers?|partners?|their people|of their)\b[^.?!,;]{0,60}?\b(?:dinner|meal"
     r"|lunch|drinks)\b|\b(?:dinner|meal|lunch|drinks) with (?:a |an |the |our |some |two |three )?(?:customer|client"
     r"|council|supplier|partner)"
     # ('I invite some people from a company we sell to, for dinner'): guests asked to a meal
     # (not one's own team: 'taking my team out for lunch' is a team celebration)
     r"|\b(?:invit(?:e|es|ed|ing)|tak(?:e|es|ing)|took) (?!(?:my|our|the) (?:team|colleagues|staff|buddy)\b)"
     r"(?:[\w'’,-]+ ){0,8}?(?:out )?(?:for|to) (?:a |an )?(?:dinner|meal|lunch|drinks)\b",
     "entertainment client"),
    # whom the company sells to is its customer ('a company we sell to')
    (r"\b(?:compan(?:y|ies)|firms?|people|organi[sz]ations?|businesse?s?) (?:that |who |which )?we sell to\b"
     r"|\b(?:buy|buys|bought) from us\b", "customer"),
    # the class of a seat on a plane ('what cabin can I book?')
    (r"\b(?:fly|flies|flying|flew|flown)\b", "flight flights"),  # ('need to fly out to Porto')
    # ... and its seats by their comfort or price ('anything better than the cheapest seats', 'more legroom')
    (r"\bcabins?\b|class of (?:seat|ticket|flight)|(?:seat|ticket|flight) class|(?:which|what) (?:seat|class)\b"
     r"|\b(?:cheapest|cheap|cheaper|basic|better|nicer|bigger|comfier|more comfortable|posh|fancy|upgraded?) seats?\b"
     r"|\b(?:more |extra )?legroom\b|\bseat upgrades?\b", "class economy"),
    # money paid on top of salary for one's holidays is a holiday allowance ('the extra holiday payment')
    (r"(?:extra|additional|bonus|special|yearly|annual) (?:holiday|vacation) (?:pay(?:ment)?|money|bonus|allowance)"
     r"|(?:holiday|vacation) (?:bonus|money|subsidy)", "holiday allowance"),
    # money paid with a salary for food is a meal allowance ('the lunch money Porto staff get')
    (r"(?:lunch|food) (?:money|allowance|budget)|meal (?:money|budget)"
     r"|money (?:for|towards?|to cover|to spend on) (?:food|lunch|meals?)"
     # ('extra money in their pay for lunch', 'what we get in our pay each month to cover food')
     r"|(?:money )?(?:in|with) (?:our|my|their|your|the) (?:pay|salary|wages?)(?: \w+){0,3}? (?:for|to cover|towards?)"
     r" (?:food|lunch|meals?)", "meal allowance"),
    (r"dinner|lunch|breakfast|food|meals?|eat(?:ing)?|snacks?", "meal meals"),
    # a quick meal out is a lunch ('take them out to grab a bite')
    (r"(?:grab|get|have) (?:a |some )?(?:bite|food|sandwich)|bite to eat", "lunch"),
    # the first meal of the day, however said, and a hotel rate that comes with it
    (r"morning meal|brekkie|brekky|(?:hotel|room|rate|price)s? (?:\w+ ){0,3}?(?:with|incl\w*) (?:a |free )?(?:morning"
     r" meal|brekkie|brekky|breakfast)|(?:throws?|threw|thrown|chucks?) in (?:the |a |free )?(?:morning meal|breakfast"
     r"|brekkie)", "breakfast included"),
    # what lowers an amount: 'does that knock anything off the daily food money?'
    (r"\bknock(?:s|ed|ing)? (?:\w+ ){0,2}?off\b|\btake(?:s|n)? (?:anything|something|money|\w+ %) off\b"
     r"|\b(?:cut|cuts|lower|lowers|shrink|shrinks) (?:my|the|our|his|her) (?:\w+ ){0,2}?(?:allowance|per diem|rate"
     r"|money)",
     "reduce deduction"),
    (r"per (?:person|guest|attendee)|each person|a (?:person|guest)", "per head"),
    (r"customers?|clients?", "client customer"),
    # who took a card payment: 'should I contact the shop?' is the merchant
    (r"shops?|stores?|retailers?|sellers?|vendors?|restaurants?|the (?:company|business|place) that charged",
     "merchant"),
    # entering a visitor in the booking system is registering them ('by when must I put her name in the system?')
    (r"(?:put|add|enter|log|get) (?:his|her|their|the visitor['’]?s|the guest['’]?s|my visitor['’]?s) (?:name|details)"
     r" (?:in|into|on|onto)\b", "register visitor"),
    (r"air ?miles|frequent[ -]flyer|loyalty points|reward points|avios|skymiles", "airline miles points"),
    # ... on a trip: an allowance paid with the salary is no per diem
    # ('daily meal money', 'daily food budget': the allowance in other words)
    (r"(?:daily (?:meal |food )?(?:allowance|money|budget)|per day allowance)(?=[^.?!]*\b(?:trips?|travel\w*|abroad"
     r"|away|overnight|nights?|hotel|visit\w*)\b)"
     r"|\b(?:trips?|travel\w*|abroad|overnight|nights|hotel)\b.*\b(?:daily (?:meal "
     r"|food )?(?:allowance|money|budget)|per day allowance)|day rate|subsistence"
     # ('the overnight meal allowance for UK trips', 'money for food for one night' on a trip)
     r"|overnight (?:meal |food )?(?:allowance|money|rate)|(?:meal|food) (?:allowance|money) (?:for|on|per)"
     r" (?:\w+ ){0,2}?(?:trips?|nights?|travel)\b|money for food (?:\w+ ){0,3}?(?:nights?|trips?|hotel)\b"
     # ('how much can I claim per night for his meals?': food money by the night or day is the per diem)
     r"|(?:per|a|each|every) (?:night|day) (?:for|on) (?:\w+ )?(?:meals?|food)\b"
     r"|\b(?:meals?|food) (?:\w+ ){0,2}?(?:per|a|each|every) (?:night|day)\b",
     "per diem allowance"),
    # things that go wrong
    (r"nicked|pinched|swiped|robbed|pick-?pocketed|mugged|stolen|theft"
     r"|(?:was|were|got|been|be) taken (?:from|out of)"
     # ('someone broke into my car and took my work laptop')
     r"|br(?:oke|oken|eak) into|break-in|burgl\w+|(?:someone|somebody|thie(?:f|ves)) (?:\w+ ){0,6}?took\b",
     "stolen theft lost"),
    # a machine that lifts a worker up is a mobile elevating work platform ('the cherry-picker', 'a lifting platform')
    (r"cherry[- ]?pickers?|(?:lifting|elevating|aerial|access|scissor|boom) (?:work )?(?:platforms?|lifts?)"
     r"|scissor ?lifts?|boom ?lifts?|mewps?", "MEWP platform operating"),
    # a lifejacket, however it is called ('the floaty vest', 'a life vest', 'a buoyancy aid')
    (r"(?:floaty|floating|float|life|flotation|buoyancy) (?:vests?|jackets?|aids?|devices?|equipment|gear|kit)"
     r"|life ?jackets?|pfds?", "lifejacket"),
    # (not what is left at the end of a year: 'holiday left at the end of 2026' is left over)
    (r"lost|misplaced|mislaid|mislay|left (?:it |them |(?:my|his|her|their|our|your|the|a|an|that|this) (?:\w+ ){1,3})?"
     r"(?:on|in|at) (?:the|a|an) (?!(?:end|close|start|beginning)\b)\w+|can'?t find|cannot find"
     # ('my Fernhill Visa isn't in my wallet')
     r"|(?:is|are)(?:n['’]?t| not) in (?:my|his|her|their|our|your) (?:wallet|bag|pocket|purse|desk|drawer|locker)"
     # ('my corporate card is missing from my wallet')
     r"|(?:is|are|be|been|has gone|have gone|went|gone) missing\b|(?:has|have) disappeared"
     # ('my card fell out of my pocket on the bus')
     r"|(?:fell|dropped|slipped) out of (?:my|his|her|their|our|your) (?:pocket|bag|wallet|purse|jacket|coat)",
     "lost missing"),
    # a new joiner's mentor is their buddy, where the articles speak of buddies ('the mentor I was paired with')
    (r"mentors?|mentoring", "buddy"),
    # 'my buddy and I aren't really clicking': a pairing that is not working
    (r"(?:not|never|(?:are|is|was|were|do|does|did)n[’']t)\s+(?:really\s+|quite\s+)?(?:clicking|clicked|click"
     r"|gelling|gel|getting on|get on|hitting it off|working out)|clash|clashing|don'?t get along|doesn'?t get along",
     "match working"),
    # 'the sensor housing has been pried open': someone has tampered with it
    (r"pri?ed open|prised open|forced open|broken into|jimmied|interfered with|fiddled with|messed with",
     "tampered tamper"),
    # 'Tom slipped on a muddy riverbank': a fall or mishap that happened is an accident, hurt or not
    (r"(?<!nearly )(?<!almost )(?<!narrowly )\b(?:slipped|tripped|fell (?:over|down|in|into|off)|had a fall"
     r"|took a (?:tumble|fall)|(?:hurt|injured|cut|burnt|burned) (?:himself|herself|themselves|myself|his|her|my)"
     r"|(?:car|van) (?:crash|accident|bump|prang))\b", "accident"),
    # what holds 'officially' or 'on paper' is the formal arrangement ('the formal buddy period')
    (r"\b(?:officially|formally|on paper|the official)\b", "formal"),
    # 'slipped off the bank into the river': someone in the water has fallen in
    (r"(?<!nearly )(?<!almost )\b(?:slipped|fell|fallen|tumbled|went|gone|got swept|been swept|ended up)\b"
     r"[^.?!,]{0,25}?\b(?:into|in) (?:the )?(?:river|water|canal|lake|sea|stream|reservoir)\b|\boverboard\b",
     "falls fall"),
    # 'nearly slipped into the river, nobody was hurt': what could have hurt someone and did not
    (r"(?:nearly|almost|narrowly) (?:\w+ ){0,2}?(?:fell|fallen|slipped|tripped|hit|crashed|drowned|electrocuted"
     r"|injured|hurt)|(?:nobody|no one|no-one|nobody's|none of us) (?:was |got |were )?(?:hurt|injured)"
     r"|close call", "near miss"),
    # 'left my pass at home': not lost, forgotten
    (r"left (?:it |them |(?:my|his|her|their|our|your) (?:\w+ ){1,6}?)?at home|forgot(?:ten)?|didn'?t bring"
     r"|came without|(?:arrived|got here|turned up|came in)(?: \w+){0,6}? without", "forgot forgotten"),
    # (not a bone: 'broke my leg' is an injury)
    (r"(?:broke|broken)(?! into)(?! (?:my |his |her |their |a )?(?:leg|arm|ankle|wrist|foot|hand|hip|toe|finger|rib"
     r"|collarbone|nose)s?\b)|smashed|cracked|stopped working|died|dead|faulty|not working",
     "broken damaged faulty"),
    (r"hacked|compromised|leak(?:ed)?|breach(?:ed)?", "incident breach compromised"),
    # 'I emailed the spreadsheet to the wrong recipient': data shared with the wrong person, an incident
    (r"(?:e-?mailed|sent|forwarded|shared|posted|uploaded|cc'?d)\b[^.?!]{0,60}?\bto (?:the |a )?wrong\b"
     r"|wrong (?:recipient|person|people|address|e-?mail address|customer|client|channel)s?|misdirected",
     "shared wrong person incident"),
    (r"dodgy|scam|fishy|suspicious|weird|strange|didn'?t start|wasn'?t (?:signing|logging) in", "suspicious"),
    (r"phishing|scam e-?mail|fake e-?mail", "phishing"),
    # a password given away to a page is an incident ('think i put my password into a dodgy looking login page',
    # 'typed my pw into a fake login page'): 'typed your passphrase into a page you now doubt'
    (r"\b(?:typed|type|typing|put|entered|enter|entering|gave|given|keyed|filled in)\b[^.?!]{0,30}?"
     r"\b(?:password|passphrase|pw|pwd|credentials|login details|log-?in details)\b[^.?!]{0,30}?"
     r"\b(?:into|in|on|to)\b[^.?!]{0,40}?\b(?:page|site|website|form|link|portal)s?\b"
     r"|\b(?:fake|dodgy|phishing|phishy|scam|suspicious|spoof(?:ed)?) (?:looking )?(?:log-?in|sign-?in)? ?(?:page|site"
     r"|website|form)\b",
     "typed passphrase page doubt incident"),
    # devices and access
    (r"swap(?:ped|ping)?|upgrade[ds]?|new one|exchange[ds]?|replac\w*"
     # 'How often do I get a new laptop?': a new one that comes round again replaces the old
     r"|how often\b[^?.]*\bnew\b"
     # 'will I be charged for another one?': the thing lost, again
     r"|(?:pay|paying|charged?|cost) (?:\w+ ){0,2}(?:another|a second) one", "replacement replace"),
    # the schedule on which equipment is renewed ('the standard refresh schedule') is its replacement cycle
    (r"refresh (?:schedule|cycle|programme|program|policy|rate)|(?:upgrade|renewal|replacement) (?:schedule|cycle)"
     r"|life ?cycle", "replacement cycle"),
    # a card the company pays with is its corporate card (not a business card, which carries a name)
    (r"(?:company|work|firm'?s?|business credit) (?:credit |debit |visa |amex |payment )?cards?"
     # ('her company Visa got nicked'; not a work visa, which lets one work in a country)
     r"|(?:company|firm'?s?|corporate) (?:visa|amex|mastercard)\b"
     # ('my Fernhill Visa isn't in my wallet': a card one keeps in a wallet)
     r"|\b(?:visa|amex|mastercard)\b[^.?!;]{0,30}\bwallet|\bwallet\b[^.?!;]{0,30}\b(?:visa|amex|mastercard)\b",
     "corporate card"),
    # a payment taken from a card: 'a charge on my card I don't recognise' is a transaction
    (r"(?:charges?|payments?|debits?|purchases?) (?:on|to|from) (?:my|the|our|his|her) (?:\w+ )?"
     r"(?:card|account|statement)",
     "transaction"),
    # ('the most I can spend in a single purchase': one payment is one transaction)
    (r"(?:single|one|each|a) (?:purchase|payment|buy|spend)", "transaction"),
    # ('the most I can put on it in one go': the limit of a single transaction)
    (r"in (?:one|a single) (?:go|hit|payment|purchase)|all at once", "single transaction"),
    # a crew is a team; those who work outdoors, installing or on site, are field staff
    (r"crews?", "team"),
    (r"outdoors?|out on sites?|installation (?:crews?|teams?|work)", "field"),
    (r"computer|pc|notebook|macbook", "laptop"),
    # being asked to approve a sign-in again ('how often does the VPN make me reapprove?')
    (r"re-?approv\w*|re-?authenticat\w*|re-?log(?:in| in)|log(?:ging)? (?:back )?in again"
     r"|sign(?:ing)? (?:back )?in again"
     # ('before I am asked to confirm my identity on my phone again')
     r"|(?:confirm|prove|verify|check) (?:my|your|his|her|their|our) identity (?:\w+ ){0,4}?again",
     "approve again"),
    # proving who one is when signing in is the second factor ('prove it's me when I log in')
    (r"(?:confirm|prove|verify) (?:my|your|his|her|their|our) identity|prove (?:it['’]?s|it is|that it['’]?s) (?:me|you"
     r"|him|her)", "mfa"),
    # how long one stays connected is how long a session lasts
    # ('how long does it keep me logged in?', 'how long can I stay on before ...')
    (r"(?:stay|stays|remain|be|keep|keeps|kept)(?: (?:me|you|us|them|him|her|people|staff))? (?:connected|logged in"
     r"|logged on|signed in|online)|\bstay on (?:for )?(?:before|until|till)\b", "session last"),
    # a small device one carries to sign in is a security key ('some small gadget', 'a USB dongle')
    (r"gadgets?|dongles?|(?:usb|hardware|physical) (?:keys?|tokens?|devices?)|key ?fobs?|fobs?", "security key"),
    # a booking that repeats ('a standing weekly meeting', 'a repeating reservation') recurs
    (r"repeat(?:ing|ed|s)? (?:booking|reservation|meeting)s?|standing (?:weekly |monthly |daily )?"
     r"(?:booking|reservation|meeting)s?|(?:booking|reservation|meeting)s? that repeats?"
     r"|(?:every|each) week (?:at|on) the same", "recurring"),
    # who an insurance is with: 'which company is doing our travel insurance?'
    (r"(?:which|what) (?:company|firm|insurer|provider) (?:is )?(?:doing|does|provides?|providing|runs?|handles?"
     r"|covers?) (?:our |the )?(?:\w+ ){0,3}insurance|who (?:is|are) (?:our|the) (?:\w+ ){0,3}insur(?:er|ance)",
     "underwritten"),
    # keeping what one has past its time: 'can I hang on to my laptop a bit longer?'
    (r"hang(?:ing)? on ?to|hold(?:ing)? on ?to|hang(?:ing)? onto|hold(?:ing)? onto|not give (?:it|them) back", "keep"),
    (r"mobile|cell ?phone|smartphone", "phone"),
    (r"ring|give (?:\w+ )?a (?:call|ring|bell)", "call"),
    # named products for the kind of thing a policy speaks of
    (r"chat ?gpt|gpt-?\d\w*|gemini|copilot|claude|bard|deepseek|chatbots?|llms?"
     r"|ai (?:chat|bot|tool|assistant|website|site|app|service|thing)s?",
     "ai tool assistant"),
    # putting data into a tool in slang: 'chuck a client's spreadsheet into ChatGPT', 'bung it in'
    (r"(?:chuck|bung|dump|stick|throw|shove|pop)(?:s|ed|ing|ping|ped)?(?: [\w'’-]+){0,4}? (?:into|in to|onto)\b"
     # ... and copying it in ('copy a chunk of our code into one of those AI websites')
     r"|cop(?:y|ies|ied|ying)(?: [\w'’-]+){0,5}? (?:into|in to|onto)\b",
     "paste upload"),
    (r"dropbox|google drive|onedrive|icloud|wetransfer|box\.com", "cloud storage file sharing"),
    (r"whatsapp|telegram|imessage|messenger|text messages?|sms", "messaging"),
    (r"(?:by|via|over|as a) texts?|text(?:ed)? (?:me|codes?)|codes? (?:by|via) text|text messages?", "sms"),
    (r"gmail|hotmail|yahoo|outlook\.com|personal e-?mail", "personal email"),
    # a phone the asker owns is a personal one, brought to work ('work email on my own mobile')
    (r"(?:my|your|our|their|his|her) own (?:mobile|phone|cell ?phone|smartphone|handset|tablet|ipad|iphone)s?"
     r"|(?:personal|private) (?:mobile|cell ?phone|smartphone|handset)s?", "personal phone own"),
    # software is installed on a device ('what do I have to put on it?')
    (r"(?:put|get|load|stick) (?:\w+ ){0,2}?on (?:it|my phone|my mobile|(?:the|my|her|his|their) (?:phone|mobile|tablet"
     r"|laptop))\b|download", "install"),
    # a computer the asker owns is a personal one ('my own laptop', 'my home PC')
    (r"(?:my|your|our|their|his|her) own (?:laptop|computer|pc|mac|macbook|machine)s?"
     r"|(?:home|private) (?:laptop|computer|pc|mac)s?", "personal computers"),
    # people who write software work in engineering, whatever their title ('I'm a software developer', 'in eng')
    (r"(?:software |web |app |front-?end |back-?end |full[- ]?stack |firmware )?(?:developers?|devs?|programmers?"
     r"|coders?)\b|software engineers?|\beng\b", "engineering engineers"),
    (r"heaters?|radiators?|kettles?|toasters?|microwaves?|fans?|fridges?|appliances?",
     "electrical items appliances heaters"),
    (r"log(?:ging)? ?in|log-?ins?|sign(?:ing)? ?in|sign-?ins?|logon", "sign-in sign"),
    # (not a phone's: 'phone passcode' is its screen lock's PIN)
    (r"(?<!phone )(?<!mobile )(?<!tablet )(?<!phone's )(?<!phone’s )passcode|pass ?phrase|password"
     # ('the thing I type in to get onto my laptop')
     r"|(?:thing|word|code|bit) (?:i|you|we) (?:type|enter|put|key) in (?:to|when i|when you) (?:get|log|sign)"
     r" ?(?:in|on|into|onto)\b", "password passphrase"),
    # a password one is made to change every so often expires ('how often were we forced to change our password?')
    (r"(?:forced|made|required|obliged|have|has|had|need|needs|must) to (?:change|reset|renew|update)"
     r" (?:my |our |your |their |his |her |the )?(?:password|passphrase)s?"
     r"|how often (?:\w+ ){0,4}?(?:change|reset|renew|update)d? (?:my |our |your |their |the )?"
     r"(?:password|passphrase)s?"
     r"|how often (?:\w+ ){0,3}?(?:password|passphrase)s? (?:\w+ ){0,3}?(?:changed|reset|renewed|updated)",
     "expire"),
    # the code that unlocks a phone is its screen lock's PIN ('how long does the code to unlock the phone have to be?')
    (r"(?:code|number|digits)(?: \w+){0,4} (?:to )?unlock|unlock(?:ing)? (?:code|number)|lock ?screen (?:code|number)"
     r"|(?:phone|mobile|tablet)(?:'s|’s)? (?:pass)?code"
     # ('my own mobile just unlocks with a 4-number code')
     r"|unlock(?:s|ed|ing)? (?:\w+ ){0,2}?with (?:a |an |my |the |just )?(?:[\w-]+ )?(?:code|number|pin|passcode)\b",
     "PIN screen lock"),
    # a code of so many numbers is one of so many digits ('a 4-number code')
    (r"\b(?:\d+|four|five|six|eight)[- ](?:number|figure) (?:code|pin|passcode)s?\b", "digits"),
    # the phone the authenticator is on is the MFA device ('lost the phone on which my authentication app was')
    (r"\b(?:lost|lose|losing|broke|broken|stolen|dropped|smashed)\b[^.?!]{0,20}\b(?:phone|mobile)\b[^.?!]{0,40}"
     r"\b(?:authenticat\w*|mfa|2fa|two[ -]factor)", "lost MFA device"),
    (r"authenticator|authentication app|auth app|2fa|two[ -]factor|two[ -]step"
     r"|approve (?:a |the )?(?:log ?in|log-in|sign-?in"
     r"|request)"
     r"|push (?:request|notification)"
     r"|(?:login|log-in|sign-?in|security|verification|code) app"
     # (a sign-in prompt on a phone comes from the authenticator: 'a login pop-up appeared on my phone')
     r"|(?:login|log-in|sign-?in) pop[- ]?ups?", "mfa authenticator"),
    # a sign-in prompt on a phone is a push request; one the asker did not start is unexpected
    (r"(?:login|log-in|sign-?in|authenticator|mfa) (?:pop[- ]?ups?|prompts?|notifications?)|pop[- ]?ups?"
     # ('a sign-in approval request I didn't start')
     r"|(?:login|log-in|sign-?in) (?:approval )?requests?|approval (?:requests?|prompts?)"
     r"|(?:login|log-in|sign-?in) approvals?"
     # ('some random login thing popped up on my phone')
     r"|(?:login|log-in|sign-?in|security|mfa)(?: \w+)? (?:popped|pops|popping|came|comes) up"
     # ('my phone asked me to okay a sign-in', 'the app ask me to confirm a login')
     # (... or to approve one: 'the app ask me to approve a log in')
     r"|(?:confirm|okay|ok|accept|allow|approve|say yes (?:to|for)) (?:a |the |my |this )?(?:new )?(?:log ?in"
     r"|log-in|sign-?in)s?\b"
     # ('keeps pinging me to ok logins')
     r"|(?:pinging|pings|pinged|buzzing|buzzes|nagging) me to"
     # ('my phone just buzzed asking me to OK a login')
     r"|(?:phone|mobile|app)(?: just)? (?:buzzed|buzzes|buzzing|pinged|pinging|pings|beeped|lit up) (?:\w+ )?asking",
     "push request mfa"),
    # tapping 'approve' on such a prompt is approving it ('I think I tapped approve by mistake')
    (r"(?:tap(?:ped|ping)?|press(?:ed|ing)?|hit(?:ting)?|click(?:ed|ing)?|touch(?:ed|ing)?|accept(?:ed|ing)?)(?: on)?"
     r" (?:approve|yes|accept|allow|ok)\b", "approved"),
    (r"(?:did ?n[o']?t|had ?n[o']?t|have ?n[o']?t|never) (?:trigger|start|request|ask for|initiate|attempt)\w*"
     r"|wasn'?t (?:me|mine)"
     r"|not me\b"
     # ('even though I wasn't logging in to anything')
     r"|(?:was ?n[o']?t|was not|were ?n[o']?t|were not|(?:i|I)['’]?m not|am not) (?:\w+ )?(?:logging|signing|trying to"
     r" (?:log|sign))"
     # ('logins I never did', 'a sign-in I didn't make')
     r"|(?:i|I) (?:never|did ?n[o']?t|did not) (?:do|did|make|made)\b",
     "unexpected start"),
    # a fix for something failing in production is a hotfix ('sensors are crashing after the update and my fix is
    # ready')
    (r"\b(?:urgent|emergency|critical) (?:code )?(?:fix|patch)(?:es)?\b"
     r"|\b(?:crash\w*|outage|(?:is|are|went|gone) down|failing|broken|incident)\b[^.?!]{0,80}\b(?:fix|patch)\b",
     "hotfix production incident"),
    # somewhere to wash after cycling or a run in is a shower ('anywhere they can clean up when they get in?')
    (r"\b(?:clean|freshen|wash|tidy) (?:(?:themselves|myself|himself|herself|ourselves|yourself) )?up\b"
     r"|\bget (?:washed|cleaned up|freshened up)\b|\bhave a (?:wash|shower)\b", "showers shower"),
    # a reference to quote is a code ('any kind of reference number from me?': the account code)
    (r"reference (?:number|code|no\.?)|ref (?:number|no\.?)|booking reference", "code"),
    (r"wi-?fi|wireless|internet|broadband|get(?:ting)? online", "wi-fi network"),
    # a password or code swapped for a new one is changed ('how often does that code get rotated?')
    # (a code only of a network: a code on its own may be software)
    (r"\b(?:password|passcode|pin|(?:wi-?fi|wireless|internet|network)\b[^.?!]{0,30}?\bcode)s?\b[^.?!]{0,50}?"
     r"\b(?:rotated|rotates|swapped|refreshed|switched|renewed)\b"
     r"|\brotat\w* (?:the |its |their )?(?:password|passcode|pin)s?\b", "changes change"),
    # the code one types to get onto a network is its password ('the code for the visitors' wireless network')
    (r"\bcodes? (?:for|to|of) (?:\w+['’]? ){0,3}?(?:wi-?fi|wireless|internet|network|get(?:ting)? online|get on)"
     r"|(?:wi-?fi|wireless|internet|network)(?: \w+)? codes?\b", "password"),
    # a chat app's private messages are its direct messages ('DMs')
    (r"(?:private|personal|one[- ]to[- ]one|1[:-]1) (?:chat )?(?:messages?|chats?|conversations?)|chat messages?|dms?"
     r"|direct messages?", "direct messages"),
    # how long records stay is how long they are kept ('how long does the company hang on to them?')
    (r"(?:hang|hold|hanging|holding) on to|keep hold of|retain(?:s|ed)?|retention|stor(?:e|es|ed) for|delete[sd]? after"
     r"|how long (?:\w+ ){0,5}?(?:keep|store|hold)\b", "kept"),
    # what is said on a chat app is its messages ('the company chat tool')
    (r"(?:work|company|team|office) chat|chat (?:app|tool|platform|system)s?", "messages"),
    # places, people and things in an office
    (r"gather|meet(?:ing)? point|meet up|muster|assemble"
     # 'where do we go if the fire alarm goes off?': where to go when everyone leaves is the assembly point
     # ('where we must go to wait when there is fire alarm?')
     rf"|{_WHERE_TO_GO}(?: (?:and |to )(?:wait|stand|meet|gather))?(?: outside| out| there)? (?:if|when|once|after"
     r"|during)\b[^?]*\b(?:fire|alarm|evacuat\w*|drill|(?:leave|leaving|exit|exiting|get out of|getting out of) the"
     r" building)"
     # ... and 'The fire alarm is going off, where do I go?'
     rf"|\b(?:fire|alarm|evacuat\w*|(?:get|getting|go|going) out of the building|leave the building)\b[^?]{{0,60}}"
     rf"{_WHERE_TO_GO}\b"
     # ... and where everyone waits outside the building ('where are we supposed to wait outside?')
     # ('where we must go and wait outside')
     rf"|{_WHERE_TO_GO}(?: (?:and |to )(?:wait|stand|meet|gather))? outside\b"
     # ('where is the place we all wait outside?')
     r"|\bwhere\b[^?.!]{0,30}\b(?:wait|waits|stand|meet|gather)(?:ing)? (?:outside|out front)\b",
     "assembly point"),
    # reading someone's code changes over is reviewing them
    # code handed to colleagues to check is a pull request ('when I submit my programming work for colleagues to
    # check, how large may a single submission be?')
    (r"\b(?:programming|coding|code|software) (?:work|changes?|submissions?)\b"
     r"|\b(?:submit|submitting|send|sending|hand|handing|put|putting)\b[^.?!]{0,40}\b(?:code|work|changes)\b"
     r"[^.?!]{0,20}\bfor (?:\w+ ){0,2}?(?:to )?(?:check|review|look over)", "pull request PR"),
    (r"(?:look|go|read|check) (?:over|through) (?:\w+ ){0,3}?(?:code|changes|prs?|pull requests?|diffs?)\b",
     "review"),
    # colleagues given a lift in one's car are passengers carried
    (r"\b(?:giv\w*|offer\w*|take|taking|drive|driving) (?:\w+ ){0,3}?(?:a )?lifts?\b|\bcar ?pool\w*|\bpassengers?\b",
     "carry colleague"),
    (r"lorry|lorries|truck|van|courier|pallets?|parcel", "deliveries delivery"),
    # what one orders for oneself arrives as a parcel ('my personal online shopping delivered to the office')
    (r"online (?:shopping|orders?|purchases?)|(?:amazon|ebay|online) (?:orders?|packages?|deliver(?:y|ies))"
     r"|(?:personal|private) (?:packages?|post|mail|deliver(?:y|ies))", "personal parcels"),
    # (not a bin something comes out of, or one on fire: 'smoke coming out of a waste bin' is a fire, nothing thrown
    # away)
    (r"get rid of|\bthrow(?:s|ing|n)?\b|(?<!out of a )(?<!out of the )(?<!from a )(?<!from the )(?<!waste )bin"
     r"(?! (?:is |was )?(?:on|caught) fire)|dispose|shred|scrap", "disposal dispose waste"),
    # what goes out with the rubbish is ordinary waste ('can I chuck it in the normal rubbish?')
    (r"(?:normal|ordinary|general|regular|household|kitchen) (?:rubbish|trash|garbage|bin|waste)|rubbish|trash",
     "ordinary waste"),
    # a battery by its parts or its failure ('a lithium cell has gone all puffy')
    (r"(?:lithium|li-?ion|lipo|coin|button|battery) cells?", "batteries battery"),
    (r"puffy|puffed(?: up)?|swollen|swelled|bulging|bloated|ballooned", "swelling damaged"),
    (r"print-?outs?|printed|paper copies|hard copies|documents on paper", "printed paper"),
    (r"car park|park(?:ing)? (?:my|the) car|park", "parking"),
    # ('two of my team want to start biking to work')
    (r"bik(?:e|es|ed|ing)|bicycles?|cycle|cycling", "bicycle bike cycle"),
    # (a building's pass; not a bus pass, nor a password)
    (r"key ?card|id card|door pass|security pass|(?:building|staff|office|access|entry|work) pass(?:es)?"
     r"|(?:access|entry|door|building|staff|swipe|security) cards?"
     # ('the card that open the doors')
     r"|cards? (?:that|which|to|for) (?:opens?|unlocks?|gets? (?:me|you|us) (?:in|into|through)) (?:the )?"
     r"(?:doors?|building)"
     r"|(?:door |key )?fob|(?:my|their|his|her|your) pass\b"
     # (what a visitor is given at reception: 'what colour card will he get?', 'a guest pass')
     r"|(?:visitor|guest)(?:['’]s)? (?:card|pass)(?:es)?|colou?r (?:of )?(?:the )?(?:card|pass)"
     r"|(?:card|pass) (?:will|would|does|do) (?:he|she|they|my (?:visitor|guest|customer)s?) (?:get|receive|wear)",
     "badge"),
    (r"turn(?:s|ing)? up|show(?:s|ing)? up|rock up|get there", "arrive arrival"),
    (r"week ?days?|during the week|mon(?:day)?\s*(?:-|–|to)\s*fri(?:day)?", "monday friday"),
    (r"front door|main door|main entrance|building entrance|entrance door|street door", "street door main entrance"),
    (r"guests?|visitors?|com(?:e|es|ing) (?:in )?to see (?:me|us|you)|com(?:e|es|ing) (?:in|over|round) to the office"
     r"|visiting (?:me|us)|(?:hosting|host|bringing(?: in)?|bring(?: in)?|expecting) (?:\w+ ){0,4}(?:people|suppliers?"
     r"|clients?"
     r"|customers?|delegation|councillors?)"
     # a third party coming to an office is its visitor: 'a supplier coming into the Leeds office on Thursday'
     r"|(?:suppliers?|customers?|clients?|contractors?|partners?|candidates?|auditors?|inspectors?|delegation"
     r"|someone|somebody|people) (?:\w+ ){0,3}?(?:com(?:e|es|ing)|visit(?:s|ing)?"
     r"|(?:drop|pop|stop)(?:s|ping|ped)? (?:by|in|round|over)(?: at)?|swing(?:s|ing)? by)"
     r" (?:in(?:to)? |over to |to )?"
     r"(?:(?:the|our) )?(?:\w+ )?office"
     # ... or coming to meet a team ('the supplier is coming with me to meet the Porto team')
     r"|(?:suppliers?|customers?|clients?|contractors?|partners?|candidates?|auditors?|inspectors?|delegation"
     r"|people|someone|somebody|council(?:lors?)?)"
     r" (?:\w+ ){0,3}?com(?:e|es|ing) (?:\w+ ){0,2}?to (?:meet|see|visit) (?:the |our |my )?(?:\w+ )?(?:team|staff"
     r"|colleagues|office)"
     # ... or anyone popping in to see the asker ('my old lecturer is popping in to see me at our Leeds HQ')
     r"|(?:popping|pops|pop|dropping|drops|drop|coming|comes) (?:in |by |over |round )?to (?:see|meet|visit)"
     r" (?:me|us)\b",
     "visitor visitors"),
    # how long a thing runs for is how long it lasts ('The formal buddy period lasts 3 months')
    (r"how long (?:does|do|will|is|are) (?:the |a |an |my |your |our )?(?:[\w-]+ ){1,3}?"
     r"(?:run|runs|running|go on|goes on|continue|keep going)(?: for)?\b", "lasts last"),
    (r"beforehand|in advance|ahead of time", "before advance ahead"),
    # 'how far in advance should I ask?': the notice given with a request
    (r"how (?:far|long|early) (?:in advance|ahead|before)(?=[^?.!]*\b(?:ask|tell|apply|let)\b)"
     r"|how much (?:advance )?warning|\bheads[- ]?up\b", "notice"),
    # what someone must bring to be let in is what they must show ('Visitors must show photo ID')
    (r"(?:need|needs|have|has|got) to (?:bring|take|carry|have on (?:them|me|him|her))"
     r"|what (?:should|do|does|must|shall) (?:\w+ ){0,2}bring", "show identification ID"),
    # a visitor who turns up unannounced, or whom the host forgot to register, comes the same day ('Same-day
    # visitors are accepted only if ...'), and is let in if accepted
    (r"(?:just |has |have )?(?:turned|turn|turns|showed|show|shows|rocked) up(?= (?:at|in|to|for|unannounced|without"
     r"|today|now|early)\b)|\bunannounced\b|\bforgot(?:ten)? to (?:register|book|sign in|add)\b"
     r"|\bwithout (?:registering|being registered|a booking|notice)\b", "same-day"),
    (r"\b(?:can|could|will|would|may|are|is) (?:they|he|she|the \w+|my \w+|our \w+) (?:still )?(?:come|get|be let"
     r"|be allowed) in\b", "accepted"),  # (a visitor, not 'I can't come in today')
    # what someone is given, they receive ('what kind of badge will they be given?': 'receive a red visitor badge')
    (r"(?:be|been|are|is|get|gets|got) given|hand(?:s|ed)? (?:\w+ )?out|handed", "receive receives issued"),
    # the IT department is reached through its help desk ('let IT know', 'the IT team'; not the pronoun 'it', nor IT
    # doing something: 'before IT swaps it')
    (r"(?:let|tell|inform|notify|ask|contact|call|ring|email|e-mail|ping|warn|message|check with|talk to|speak to"
     r"|get in touch with)(?: the)? (?-i:IT)\b|(?-i:IT) (?:team|department|support|people|needs?\b)"
     r"|it (?:team|department|support)", "help desk"),
    # a freeze or shutdown over Christmas is the end-of-year one ('the Christmas release freeze')
    (r"(?:christmas|xmas|festive|holiday season|new year)(?: (?:code|release|change|deploy(?:ment)?))?"
     r" (?:freeze|shutdown|closure|break)"
     r"|(?:freeze|shutdown|closure) (?:over|at|for|during) (?:the )?(?:christmas|xmas|festive|new year)",
     "end-of-year"),
    # what is near is a short way away ('anywhere to park near the office?': 'a car park about 300 metres away')
    (r"near(?:by)?(?! miss)|close (?:by|to)|nearest|round the corner|around the corner|walking distance",
     "metres away"),
    # a desk, room or space is booked, however it is said
    (r"(?:reserv\w*|grab|nab|bag|get|claim|hold)(?: me| myself)? (?:a |an |the |one of the )?(?:\w+ )?"
     r"(?:desks?|rooms?|spaces?|spots?|seats?|bays?|workspaces?|work ?stations?|place to (?:sit|work))\b",
     "book booking"),
    # a place to work in an office is a desk ('a workspace', 'a hot desk', 'a workstation')
    (r"workspaces?|work ?stations?|hot[ -]?desks?|hot[ -]?desking|(?:somewhere|a place|a spot) to (?:sit|work)\b"
     r"|a seat in the office"
     r"|(?:at|by|near|to|from) my (?:seat|chair)", "desk"),
    # ('on my own' but not 'on my own phone': one's own thing is a personal one)
    (r"alone|on (?:my|his|her|their|your|our) own(?!\s+(?!(?:to|if|and|or|for|at|in|on|when|while|but|as|with|today"
     r"|tomorrow|now|this|next|though|because|before|after|again|please|then|so)\b)[a-z])"
     r"|by (?:myself|himself|herself|themselves|yourself)|solo|lone"
     # 'before he must have a colleague with him': when one may not be alone
     r"|(?:have|take|bring|need) (?:a colleague|someone|somebody|another person|a second person|company) with",
     "lone alone"),
    # telling someone one is safe while out alone is checking in ('how often do I let the coordinator know I'm OK?')
    (r"let (?:\w+ ){0,3}know (?:i'?m|i am|you'?re|we'?re|he'?s|she'?s|they'?re) (?:ok|okay|safe|fine|alright|all right)"
     r"|(?:report|confirm|say) (?:that )?(?:i'?m|i am|we'?re) (?:ok|okay|safe|fine|alright)"
     # ('what do I need to do so someone knows I'm OK?')
     r"|(?:someone|somebody|people|they|the team|others|anyone|everyone) knows? (?:that )?(?:i'?m|i am|we'?re|he'?s"
     r"|she'?s|they'?re) (?:ok|okay|safe|fine|alright|all right)"
     # ('how often I need to send a message that I am fine')
     r"|(?:message|text|ping)(?: \w+){0,3}? (?:that |to say )?(?:i'?m|i am|we'?re|he'?s|she'?s) (?:ok|okay|safe|fine"
     r"|alright|all right)"
     # ('until what time must I confirm I am there?': saying one has arrived at what one booked)
     r"|confirm (?:that )?(?:i'?m|i am|i'?ve|i have|we'?re|we are|he'?s|she'?s) (?:there|here|in|arrived|at (?:my|the)"
     r" desk)\b", "check in check-in"),
    # the time one may get into a building is when it is open ('from what time in the morning can I go inside?')
    # (when one may: 'what time should I get in on my first day?' asks when one is expected)
    # ('What is the earliest time I can get into the building?')
    (r"(?:what time|when|how early|how late|(?:the )?(?:earliest|latest)(?: time)?)\b(?=[^?.]*\b(?:can|could|may"
     r"|allowed)\b)(?: [\w']+){0,6}? (?:go|get|come"
     r"|be let|walk) (?:in|into|inside)\b(?! touch)"
     r"|(?:what time|when|how early)\b(?=[^?.]*\b(?:can|could|may|allowed)\b)(?: [\w']+){0,4}? (?:enter|access)\b",
     "open hours"),
    # a place in the building to buy a meal is its café, however it is called ('is there a canteen?')
    (r"canteens?|cafeterias?|staff restaurants?|lunch ?rooms?|food court|cafes?\b|coffee shops?", "café"),
    # the desk that greets people at an office's entrance is its reception ('the number for the front desk')
    (r"front ?desk|front of house|(?:entrance|welcome|visitor) desk", "reception"),
    (r"\btech(?:y|ie|ies)\b", "technical"),  # ('a senior techy role')
    # a plug that charges a phone is a charger ('a phone plug from home to charge their stuff')
    (r"\b(?:phone|laptop|usb|wall|power) (?:plugs?|bricks?|leads?)\b|\bplugs? (?:to|for) charg\w*",
     "chargers adapters"),
    (r"\b(?:lend|lends|lent|lending|borrow|borrows|borrowed|borrowing)\b", "loan"),  # ('the most Fernhill will lend')
    # paying for more time off is buying leave ('is there any way I can pay for a few more days off?')
    (r"\b(?:pay|paying|paid|purchase|purchasing|get|getting) (?:for )?(?:a few |some |a couple of |an? )?(?:more|extra"
     r"|additional)(?: \w+)? (?:days?|leave|holidays?|hols|time off)\b"
     r"|\b(?:buy|buying|bought|purchase) (?:\w+ ){0,2}?(?:days?|leave|holidays?|hols|time off)\b",
     "buy purchase"),
    # a line nobody picks up does not answer ('If the hotline does not answer, call ...')
    (r"\b(?:nobody|no one|no-one|noone) (?:picks?|picked|is picking) (?:it )?up"
     r"|\b(?:nobody|no one|no-one) answer(?:s|ed)?"
     r"|\bno (?:answer|reply|response)\b|\b(?:goes|went|going) (?:straight )?to voicemail|\brings? out\b"
     r"|\b(?:can['’]?t|cannot|couldn['’]?t) get through\b", "does not answer"),
    # a number dialled inside the company is an extension ('the internal phone number for ...')
    (r"internal (?:phone |telephone )?(?:numbers?|lines?|dial)|extension numbers?|short (?:dial )?numbers?",
     "ext extension"),
    # the news media are the press, whoever of them asks ('someone from a local newspaper wants a quote')
    (r"newspapers?|reporters?|journalists?|news (?:outlets?|sites?|websites?|channels?|stations?)"
     r"|(?:tv|radio) stations?"
     r"|the media|(?:a |the )?(?:local |national )?(?:paper|news)(?:'s)? (?:reporter|journalist)s?|media (?:outlets?"
     r"|enquir(?:y|ies)|requests?)", "press journalists"),
    # insurance, however it is called ('do I need to buy cover myself?')
    (r"(?:buy|get|take out|arrange|need) (?:\w+ ){0,2}?cover\b|(?:travel|medical|health) cover\b", "insurance"),
    # being shut out after too many tries is a locked account ('mistyped her login too many times')
    (r"(?:shut|locked|kicked) out|too many (?:\w+ ){0,2}?(?:times|tries|attempts|goes)"
     r"|(?:mistyped|wrong|incorrect)(?: \w+){0,3}? (?:several|many|a few|three|five|ten) times"
     # ('how many wrong goes before it blocks him?')
     r"|(?:wrong|bad|incorrect|failed|mistyped) (?:goes|tries|guesses|attempts)"
     r"|(?:blocks|blocked|block) (?:him|her|me|you|them|us|the account|my account|his account|her account)",
     "locked failed attempts"),
    # a yearly ticket for the train to work is a season ticket ('an annual rail pass')
    (r"(?:annual|yearly|monthly) (?:rail|train|bus|travel|commuter) (?:pass|card|ticket)s?|(?:rail|train|commuter) pass"
     r"|travel ?card", "season ticket"),
    # putting a new version live is a release ('put a new version of our service live')
    (r"put (?:\w+ ){0,8}?live\b|go(?:es|ing)? live\b|push(?:ing)? (?:\w+ ){0,3}?to production|ship(?:ping)? (?:a |an "
     r"|the )?(?:new )?(?:version|update|build)", "release"),
    # time off for a father of a new baby is paternity leave ('how many weeks off do I get as the father?')
    (r"as (?:the|a|its) (?:father|dad)|(?:new|becoming a|become a|about to be a) (?:father|dad)", "paternity"),
    # being late for a check-in is missing it, and whoever chases it up calls ('how late can I be before they start
    # chasing me?')
    (r"how late (?:can|could|may) (?:i|we|you|he|she|they) be", "miss"),
    (r"(?:start |come )?chas(?:e|es|ing) (?:after |up )?(?:me|us|him|her|them)\b"
     r"|come looking for (?:me|us|him|her|them)", "calls"),
    # a riverbank, a weir or a pontoon is at the water's edge or over water (the place's own words, general English)
    (r"river ?banks?|riversides?|canal ?sides?|weirs?|pontoons?|jett(?:y|ies)|(?:next to|beside|by|near|at|on) the"
     r" (?:river|water|canal|lake|sea)(?:'s edge| edge)?"
     # ('right on the bank'; not a bank holiday, transfer or account)
     r"|(?:on|at|by|near|along) the (?:river ?)?banks?\b(?!\s+(?:holiday|transfer|account|card|details|statement))",
     "water's edge water"),
    # going into the water after a thing is entering it to recover it ('Can I wade in and get it back?')
    (r"\bwad(?:e|es|ing)\b|\bswim(?:ming)? (?:out|in|after)|(?:go|going|jump|jumping|climb|climbing) in(?:to)?"
     r" (?:the )?(?:water|river|canal|lake)|\bjump in\b", "enter the water"),
    (r"get (?:it|them|the \w+) back|fish (?:it|them|the \w+) out|retriev\w+", "recover"),
    (r"cost (?:us |me )?(?:a lot|a fortune|loads)|pricey|worth a lot|costly", "expensive"),
    # how near one may go is said by what lies within a distance ('within 3 metres of the water's edge')
    (r"how (?:close|near)|how far (?:from|away)", "within"),
    (r"wfh|work(?:ing)? from home|remote(?:ly)?", "remote home"),
    (r"fire drill|fire alarm|alarm|fire bells?|(?:fire )?sirens?"
     r"|(?:a|the)(?: [a-z]+){0,2}? bells? (?:went|goes|going|rang|rings|ringing)(?: off)?", "fire alarm"),
    # a check of an alarm that comes round is its test ('the routine weekly check')
    (r"(?:weekly|routine|regular|scheduled|monthly)(?: alarm)? (?:check|drill|trial|run-through)", "test"),
    # who helps others out of the building in an alarm is a fire warden ('helping colleagues on my floor to leave the
    # building safely when the alarm sounds')
    (r"help(?:ing|s)? (?:\w+ ){0,4}?(?:leave|get out of|evacuate|out of) the building", "fire warden"),
    # a friendly go-to person for someone who has just joined is a buddy
    (r"go-to (?:person|colleague)|friendly face|(?:look after|looking after|show (?:\w+ )?around) (?:a |the |our )?"
     r"(?:new (?:starter|joiner|hire|person|colleague)|newbie|newcomer|someone (?:who'?s |who has )?(?:just )?"
     r"(?:joined|new))"
     # ('when I am new, they put me together with a person from another team to help me')
     r"|(?:put|puts|pair|pairs|paired|match|matches|matched|partner|partnered|team|teamed)(?: me| us| them| him| her)?"
     r"(?: up)?(?: together)? with (?:a |an |one |some )?(?:person|colleague|someone|somebody)\b",
     "buddy"),
    # an alarm's routine check is its test ('the weekly fire bell check')
    (r"(?:alarm|bell|siren|drill) checks?\b", "test"),
    (r"smoke|smoking|smoky|burning(?: smell)?", "fire"),
    # smoke or flames one sees or smells is a fire one has found ('smoke coming out of the microwave'; 'If you
    # discover a fire'), and so is anything on fire
    (r"smoke (?:is |was )?(?:coming|pouring|billowing|rising|from|out|under|in)\b"
     r"|(?:smell|smelt|smelled|see|saw|seen|notic\w*|spott\w*)(?: \w+){0,2}? (?:smoke|burning|flames?)"
     r"|flames?|(?:on|caught|catch(?:es|ing)?) fire|blaze", "discover fire"),
    # (both forms: the stemmer reads "injury" and "injured" as two words)
    (r"first aid(?:er)?|injur(?:y|ed)|hurt", "first aid injury injured"),
    # someone who collapses needs the emergency services ('a colleague suddenly collapses at their desk')
    (r"collaps(?:e|es|ed|ing)|pass(?:ed|es)? out|faint(?:ed|s)?|unconscious|not breathing|heart attack|seizure"
     r"|stopped breathing", "medical emergency first aid"),
)


@cache
def _compiled() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    return tuple((re.compile(rf"\b(?:{pattern})\b", re.I), tuple(words.split())) for pattern, words in _EQUIVALENTS)


def policy_words(phrase: str) -> list[str]:
    """The policy words the phrase's everyday wording stands for, in order, without repeats."""
    found: list[str] = []
    phrase = _INTENSIFIER.sub("", phrase)  # 'feeling absolutely awful' is 'feeling awful'
    for pattern, words in _compiled():
        if pattern.search(phrase):
            found += [w for w in words if w not in found]
    return found


@cache
def same_meaning(a: str, b: str) -> bool:
    """Do two words stand for one policy meaning: both among the words of one entry ('training' and 'learning')?"""
    a, b = stem(a.lower()), stem(b.lower())
    return a != b and any(a in group and b in group for group in _stemmed_groups())


@cache
def _stemmed_groups() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(stem(w) for w in words) for _, words in _compiled() if len(words) > 1)


def wordings_and_words(phrase: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each everyday wording of the phrase, as written ('Left my work laptop on the train'), with the policy words
    it stands for ('new hire' -> new starter onboarding; 'left their work laptop on the train' -> lost missing)."""
    phrase = _INTENSIFIER.sub("", phrase)  # 'feeling absolutely awful' is 'feeling awful'
    return [(m.group(0), words) for pattern, words in _compiled() for m in pattern.finditer(phrase)]


def words_across(text: str, pieces: list[str]) -> list[list[str]]:
    """For each piece the text was split into, the policy words of the everyday wordings that start in an earlier
    piece and end in this one: 'when is the fire alarm test, and where do we meet outside?' reads 'where do we meet'
    as the assembly point, which 'where do we meet outside?' alone does not say."""
    found: list[list[str]] = [[] for _ in pieces]
    lowered = [" ".join(piece.lower().split()) for piece in pieces]
    for pattern, words in _compiled():
        for match in pattern.finditer(text):
            wording = " ".join(match.group(0).lower().split())
            if any(wording in piece for piece in lowered):
                continue  # a piece reads the wording itself
            tail = " ".join(wording.split()[-3:])
            for i, piece in enumerate(lowered[1:], start=1):
                if tail in piece:
                    found[i] += [w for w in words if w not in found[i] and w not in piece]
                    break
    return found


NEGATED = "not"  # among a match's said terms when its wording is negated: no passage's word, as 'not' is a stop word
_NEGATION = re.compile(r"n['’]?t\b|\bnot\b|\bnever\b|\bno\b", re.I)


# Adverbs that only stress what follows: an everyday wording reads the same without them.
_INTENSIFIER = re.compile(r"\b(?:really|very|super|pretty|quite|totally|absolutely|honestly|literally|seriously"
                          r"|extremely|incredibly|so)\s+(?=[a-z])", re.I)


def policy_matches(question: str, used: set[str]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For each everyday wording of the question that stands for policy words the passages use (`used`: their
    stemmed content words) and the question does not: (the question's terms in that wording, with NEGATED for a
    negated wording, the policy words' terms). 'Who signs off my trip?' over a text that says 'approves':
    [({'sign'}, {'approv', 'approval'})]."""
    asked = content_terms(question)
    question = _INTENSIFIER.sub("", question)  # 'feeling really rough' is 'feeling rough'
    found = []
    for pattern, words in _compiled():
        # every wording of the entry ('fever' and 'can't come in' both mean sickness): none counts as itself
        matches = list(pattern.finditer(question))
        if not matches:
            continue
        said = frozenset().union(*(content_terms(m.group(0)) for m in matches)) & asked
        if any(_NEGATION.search(m.group(0)) for m in matches):
            # ('I didn't start it': a negated wording is never the passages' own, though 'start' may be)
            said |= {NEGATED}
        terms = frozenset(t for w in words for t in content_terms(w) if t in used and t not in asked)
        if terms:
            found.append((said, terms))
    return found


def policy_forms(matches: list[tuple[frozenset[str], frozenset[str]]], texts: list[str]) -> dict[str, frozenset[str]]:
    """The words the texts write the matches' policy terms with ('approves' for 'approv'), with their terms: the
    first word found for each term, in the texts' order (read once, for every question the matches are used in)."""
    wanted = set().union(*(terms for _, terms in matches)) if matches else set()
    forms: dict[str, frozenset[str]] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z-]+", "\n".join(texts)) if wanted else ():
        low = word.lower()
        terms = content_terms(low) & wanted
        if low not in forms and terms:
            forms[low] = frozenset(terms)
            wanted -= terms
            if not wanted:
                break
    return forms


def with_policy_words(question: str, matches: list[tuple[frozenset[str], frozenset[str]]],
                      forms: dict[str, frozenset[str]]) -> str:
    """The question with, in brackets, the policy words (`forms`, as the texts write them) that the matches' wording
    stands for ('Who signs off my trip?' -> 'Who signs off my trip? (approves)'): the embedding model reads them as
    the articles do."""
    meant = set().union(*(terms for _, terms in matches)) if matches else set()
    words = [word for word, terms in forms.items() if terms & meant]
    return f"{question} ({', '.join(words)})" if words else question
