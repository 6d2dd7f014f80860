<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DateField</name>
    <message>
        <location filename="../../app/ui/widgets/fields.py" line="39"/>
        <source>e.g. 1960-05-01</source>
        <translation>如 1960-05-01</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="55"/>
        <source>New household</source>
        <translation>新建家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="55"/>
        <source>Edit household</source>
        <translation>编辑家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="67"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="80"/>
        <source>Household</source>
        <translation>家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="83"/>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="83"/>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="84"/>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="84"/>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="98"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="85"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="85"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="86"/>
        <source>Poverty status</source>
        <translation>贫困户属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="86"/>
        <source>Year out of poverty</source>
        <translation>脱贫年度</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="88"/>
        <source>Causes of poverty</source>
        <translation>致贫原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="94"/>
        <source>Help person</source>
        <translation>帮扶责任人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="97"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="97"/>
        <source>Work unit</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="101"/>
        <source>Living conditions</source>
        <translation>生活环境</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="104"/>
        <source>Housing</source>
        <translation>住房</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="104"/>
        <source>Drinking water</source>
        <translation>饮水</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="105"/>
        <source>Toilet</source>
        <translation>厕所</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="105"/>
        <source>Cooking fuel</source>
        <translation>燃料</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="106"/>
        <source>Kitchen exhaust</source>
        <translation>厨房排风</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="106"/>
        <source>Livestock pen</source>
        <translation>禽畜栏</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="112"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/household_dialog.py" line="113"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <location filename="../../app/ui/models/households.py" line="31"/>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="31"/>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="31"/>
        <source>Health record no.</source>
        <translation>健康档案号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="32"/>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="32"/>
        <source>Poverty status</source>
        <translation>贫困户属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="32"/>
        <source>Causes of poverty</source>
        <translation>致贫原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="33"/>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/households.py" line="33"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <location filename="../../app/ui/pages/households.py" line="91"/>
        <source>Search: name, pinyin initials, record no., or any 4+ digits of an ID or phone</source>
        <translation>查找：姓名、拼音首字母、档案号，或身份证号、电话中任意连续4位以上数字</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="92"/>
        <source>Type a name, its pinyin or initials, a health-record number, or any 4 or more digits in a row of an ID or phone number (such as its last 4)</source>
        <translation>输入姓名、全拼或拼音首字母、健康档案号，或身份证号、电话中任意连续4位以上数字（如后4位）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="97"/>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="98"/>
        <source>All groups</source>
        <translation>全部村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="99"/>
        <source>All statuses</source>
        <translation>全部贫困户属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="102"/>
        <source>All causes</source>
        <translation>全部致贫原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="108"/>
        <source>New household</source>
        <translation>新建家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="150"/>
        <location filename="../../app/ui/pages/households.py" line="363"/>
        <source>Choose a household on the left</source>
        <translation>请在上方列表中选择一户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="159"/>
        <source>Village / group</source>
        <translation>村/组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="159"/>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="160"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="160"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="161"/>
        <source>Poverty status</source>
        <translation>贫困户属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="161"/>
        <source>Causes of poverty</source>
        <translation>致贫原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="162"/>
        <source>Help person</source>
        <translation>帮扶责任人</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="162"/>
        <source>Status history</source>
        <translation>属性变更</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="163"/>
        <source>Living conditions</source>
        <translation>生活环境</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="171"/>
        <source>Edit household</source>
        <translation>编辑家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="172"/>
        <source>Sign contract…</source>
        <translation>签约…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="186"/>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="187"/>
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="188"/>
        <source>Move to another household</source>
        <translation>迁到其他户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="189"/>
        <source>Make head</source>
        <translation>设为户主</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="190"/>
        <source>Moved out / died…</source>
        <translation>标记迁出/死亡…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="191"/>
        <source>Open resident file</source>
        <translation>打开居民档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="205"/>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="304"/>
        <source>%d households</source>
        <translation>共 %d 户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="371"/>
        <source>Household of %s</source>
        <translation>户主：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="371"/>
        <source>Household without a head</source>
        <translation>（尚未设户主）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="378"/>
        <source>(out of poverty in %d)</source>
        <translation>（%d年脱贫）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/households.py" line="383"/>
        <source>None</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="57"/>
        <source>Cunyi village clinic</source>
        <translation>村医 · 村卫生室</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86"/>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="87"/>
        <source>Households</source>
        <translation>家庭档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="88"/>
        <source>Residents</source>
        <translation>居民档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="89"/>
        <source>Contracts</source>
        <translation>签约</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="90"/>
        <source>Follow-ups</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>Health exams</source>
        <translation>体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="92"/>
        <source>Settlement</source>
        <translation>报销结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="93"/>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="94"/>
        <source>Sync</source>
        <translation>数据同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="95"/>
        <location filename="../../app/ui/main_window.py" line="124"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="130"/>
        <source>Import poor-household list…</source>
        <translation>导入贫困户名单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="131"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="132"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="137"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="142"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="161"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="162"/>
        <source>User: %s (%s)</source>
        <translation>用户：%s（%s）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="184"/>
        <source>%1 households, %2 residents</source>
        <translation>%1 户，%2 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="186"/>
        <source>Unsynced changes: %d</source>
        <translation>未同步：%d 条</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="210"/>
        <source>Export household list</source>
        <translation>导出家庭档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="211"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="220"/>
        <source>Exported %d rows to %s</source>
        <translation>已导出 %d 行到 %s</translation>
    </message>
</context>
<context>
    <name>MarkStatusDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="137"/>
        <source>Change the status of %s</source>
        <translation>更改 %s 的人员状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="148"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="149"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="151"/>
        <source>New status</source>
        <translation>新状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="152"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="153"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="173"/>
        <source>A date is required for this status.</source>
        <translation>标记为迁出或死亡时必须填写日期。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="175"/>
        <source>Type the date like 2024-03-01.</source>
        <translation>请按 2024-03-01 的格式填写日期。</translation>
    </message>
</context>
<context>
    <name>MemberTableModel</name>
    <message>
        <location filename="../../app/ui/models/members.py" line="26"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="26"/>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="26"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="26"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="27"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="27"/>
        <source>Health record no.</source>
        <translation>健康档案号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/members.py" line="27"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="40"/>
        <source>Move %s to another household</source>
        <translation>将 %s 迁到其他户</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="42"/>
        <source>Head&apos;s name, pinyin initials, ID or household no.</source>
        <translation>户主姓名、拼音首字母、身份证号或户编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="51"/>
        <source>Move</source>
        <translation>迁入</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="53"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="55"/>
        <source>Find household</source>
        <translation>查找家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="57"/>
        <source>Relation to the new head</source>
        <translation>与新户主关系</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/move_dialog.py" line="98"/>
        <source>(no head)</source>
        <translation>（无户主）</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="366"/>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="366"/>
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="375"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="376"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="69"/>
        <source>18 digits, the last may be X</source>
        <translation>18位，最后一位可以是X</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="87"/>
        <source>Allocated when saved</source>
        <translation>保存时自动生成</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="105"/>
        <source>Basic information</source>
        <translation>个人基本信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="109"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="109"/>
        <source>Relation to head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="110"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="110"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="121"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="123"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="130"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="130"/>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="131"/>
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="131"/>
        <source>Marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="132"/>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="132"/>
        <source>Health record no.</source>
        <translation>健康档案号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="133"/>
        <source>Insurance type</source>
        <translation>医保类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="133"/>
        <source>Insurance no.</source>
        <translation>医保号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="134"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="134"/>
        <source>Status date</source>
        <translation>状态日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="135"/>
        <source>Status note</source>
        <translation>状态说明</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="135"/>
        <source>Person no.</source>
        <translation>人编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="146"/>
        <source>Health and assistance</source>
        <translation>健康与救助</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="148"/>
        <source>Assistance</source>
        <translation>救助类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="150"/>
        <source>Disabilities</source>
        <translation>残疾情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="154"/>
        <source>Disability grade</source>
        <translation>残疾等级</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="154"/>
        <source>Caretaker</source>
        <translation>照料人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="155"/>
        <source>Blood type</source>
        <translation>血型</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="155"/>
        <source>Health state</source>
        <translation>健康状况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="156"/>
        <source>Allergies</source>
        <translation>过敏史</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="156"/>
        <source>Past history</source>
        <translation>既往史</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="157"/>
        <source>Family history</source>
        <translation>家族史</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="157"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="320"/>
        <source>ID number is valid</source>
        <translation>身份证号正确</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="345"/>
        <source>Check the ID number</source>
        <translation>请核对身份证号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/person_dialog.py" line="346"/>
        <source>Save anyway?</source>
        <translation>仍然保存吗？</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <location filename="../../app/ui/pages/person.py" line="85"/>
        <source>Name, pinyin, record no., any 4+ digits of ID/phone</source>
        <translation>姓名、拼音、档案号、身份证/电话任意4位</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="86"/>
        <source>Type a name, its pinyin or initials, a health-record number, or any 4 or more digits in a row of an ID or phone number (such as its last 4)</source>
        <translation>输入姓名、全拼或拼音首字母、健康档案号，或身份证号、电话中任意连续4位以上数字（如后4位）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="95"/>
        <location filename="../../app/ui/pages/person.py" line="261"/>
        <source>Search for a resident on the left</source>
        <translation>请在左侧查找居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="102"/>
        <source>Show household</source>
        <translation>查看家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="103"/>
        <source>Follow-up…</source>
        <translation>随访…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="104"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="105"/>
        <source>Undo edits</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="159"/>
        <source>Diagnoses</source>
        <translation>疾病诊断</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="162"/>
        <source>Condition</source>
        <translation>病种</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="162"/>
        <source>Date confirmed</source>
        <translation>确诊日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="162"/>
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="162"/>
        <source>Treatment class</source>
        <translation>救治分类</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="172"/>
        <source>Confirming hospital</source>
        <translation>确诊医院</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="174"/>
        <source>Add diagnosis</source>
        <translation>添加诊断</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/person.py" line="175"/>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../app/ui/pages/placeholder.py" line="20"/>
        <source>This function will be provided in a later version.</source>
        <translation>此功能将在后续版本中提供。</translation>
    </message>
</context>
<context>
    <name>application</name>
    <message>
        <location filename="../../app/ui/application.py" line="86"/>
        <source>Generating demo data…</source>
        <translation>正在生成演示数据…</translation>
    </message>
    <message>
        <location filename="../../app/ui/application.py" line="113"/>
        <source>Backup made: %s</source>
        <translation>已自动备份：%s</translation>
    </message>
    <message>
        <source>The audit log shows signs of tampering. Please tell the county&apos;s IT staff. Details:</source>
        <translation>审计日志有被篡改的迹象，请告知县里的信息技术人员。详情：</translation>
    </message>
    <message>
        <source>Cunyi is already open on this database (%1). Use the window that is already open; a second copy of the app may not open the same data.</source>
        <translation>村医程序已经打开了这个数据库（%1）。请使用已经打开的那个窗口；同一份数据不能再打开第二个村医程序。</translation>
    </message>
</context>
<context>
    <name>unsaved</name>
    <message>
        <source>Discard changes?</source>
        <translation>放弃修改？</translation>
    </message>
    <message>
        <source>What you typed in this form has not been saved. Discard it?</source>
        <translation>这张表里填写的内容还没有保存。要放弃这些修改吗？</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续填写</translation>
    </message>
    <message>
        <source>Save changes?</source>
        <translation>保存修改？</translation>
    </message>
    <message>
        <source>This resident&apos;s file has changes that are not saved.</source>
        <translation>这位居民的档案有修改还没有保存。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
