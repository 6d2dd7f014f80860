<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CareFormDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="58"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="59"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>DrugTable</name>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="34"/>
        <source>Drug</source>
        <translation>药物名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="34"/>
        <source>Times a day</source>
        <translation>每日次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="34"/>
        <source>Dose each time</source>
        <translation>每次剂量</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="34"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="35"/>
        <source>Insulin</source>
        <translation>胰岛素</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="35"/>
        <source>Insulin usage</source>
        <translation>胰岛素用法用量</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="48"/>
        <source>Add drug</source>
        <translation>添加药物</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="49"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="135"/>
        <source>times a day</source>
        <translation>每日次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="136"/>
        <source>dose</source>
        <translation>每次剂量</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/drug_table.py" line="137"/>
        <source>%1: the %2 “%3” is not a number</source>
        <translation>%1：%2“%3”不是数字</translation>
    </message>
</context>
<context>
    <name>ExamDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="63"/>
        <source>Correct health exam</source>
        <translation>更正健康体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="63"/>
        <source>Health exam</source>
        <translation>健康体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="64"/>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="77"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="79"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="103"/>
        <source>%d years</source>
        <translation>%d岁</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="104"/>
        <source>Yearly exam group: %s</source>
        <translation>年度体检对象：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_dialog.py" line="105"/>
        <source>Not in a yearly exam group</source>
        <translation>不属于年度免费体检对象</translation>
    </message>
</context>
<context>
    <name>ExamForm</name>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="42"/>
        <source>General and physical</source>
        <translation>一般状况与查体</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="43"/>
        <location filename="../../app/ui/dialogs/exam_form.py" line="125"/>
        <source>Lifestyle</source>
        <translation>生活方式</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="44"/>
        <source>Tests</source>
        <translation>辅助检查</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="45"/>
        <location filename="../../app/ui/dialogs/exam_form.py" line="167"/>
        <source>Evaluation and advice</source>
        <translation>健康评价与指导</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="86"/>
        <source>General state</source>
        <translation>一般状况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="89"/>
        <source>Exam date</source>
        <translation>体检日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="90"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="91"/>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="92"/>
        <source>Pulse</source>
        <translation>脉率</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="92"/>
        <location filename="../../app/ui/dialogs/exam_form.py" line="93"/>
        <location filename="../../app/ui/dialogs/exam_form.py" line="112"/>
        <source>/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="93"/>
        <source>Breathing</source>
        <translation>呼吸频率</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="94"/>
        <source>Waist</source>
        <translation>腰围</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="95"/>
        <source>BP left</source>
        <translation>血压（左侧）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="97"/>
        <source>BP right</source>
        <translation>血压（右侧）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="100"/>
        <source>Height</source>
        <translation>身高</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="101"/>
        <source>Weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="102"/>
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="104"/>
        <source>Other symptoms</source>
        <translation>其他症状</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="109"/>
        <source>Physical examination</source>
        <translation>查体</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="110"/>
        <source>Skin</source>
        <translation>皮肤</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="111"/>
        <source>Lymph nodes</source>
        <translation>淋巴结</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="112"/>
        <source>Heart rate</source>
        <translation>心率</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="113"/>
        <source>Rhythm</source>
        <translation>心律</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="114"/>
        <source>Murmur</source>
        <translation>杂音</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="115"/>
        <source>Barrel chest</source>
        <translation>桶状胸</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="116"/>
        <source>Breath sounds</source>
        <translation>呼吸音</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="118"/>
        <source>Rales</source>
        <translation>罗音</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="119"/>
        <source>Abdomen</source>
        <translation>腹部</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="120"/>
        <source>Other findings</source>
        <translation>其他体征</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="126"/>
        <source>Exercise</source>
        <translation>锻炼</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="127"/>
        <source>min each time</source>
        <translation>分钟/次</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="129"/>
        <source>Smoking</source>
        <translation>吸烟</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="130"/>
        <source>a day</source>
        <translation>支/日</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="132"/>
        <source>Drinking</source>
        <translation>饮酒</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="133"/>
        <source>liang a day</source>
        <translation>两/日</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="134"/>
        <source>Diet</source>
        <translation>饮食习惯</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="138"/>
        <source>Blood and urine</source>
        <translation>血常规与尿常规</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="139"/>
        <source>Haemoglobin</source>
        <translation>血红蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="140"/>
        <source>White cells</source>
        <translation>白细胞</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="141"/>
        <source>Platelets</source>
        <translation>血小板</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="142"/>
        <source>Fasting glucose</source>
        <translation>空腹血糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="144"/>
        <source>Urine protein</source>
        <translation>尿蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="145"/>
        <source>Urine glucose</source>
        <translation>尿糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="146"/>
        <source>Urine ketones</source>
        <translation>尿酮体</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="147"/>
        <source>Urine blood</source>
        <translation>尿潜血</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="149"/>
        <source>Liver, kidney and lipids</source>
        <translation>肝功能、肾功能与血脂</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="151"/>
        <source>ALT</source>
        <translation>谷丙转氨酶</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="151"/>
        <source>AST</source>
        <translation>谷草转氨酶</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="152"/>
        <source>Albumin</source>
        <translation>白蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="152"/>
        <source>Total bilirubin</source>
        <translation>总胆红素</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="153"/>
        <source>Direct bilirubin</source>
        <translation>结合胆红素</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="154"/>
        <source>Creatinine</source>
        <translation>血清肌酐</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="154"/>
        <source>Urea</source>
        <translation>血尿素</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="155"/>
        <source>Potassium</source>
        <translation>血钾</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="155"/>
        <source>Sodium</source>
        <translation>血钠</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="156"/>
        <source>Total cholesterol</source>
        <translation>总胆固醇</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="156"/>
        <source>Triglycerides</source>
        <translation>甘油三酯</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="157"/>
        <source>LDL cholesterol</source>
        <translation>低密度脂蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="157"/>
        <source>HDL cholesterol</source>
        <translation>高密度脂蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="159"/>
        <source>ECG and ultrasound</source>
        <translation>心电图与B超</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="160"/>
        <source>ECG</source>
        <translation>心电图</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="162"/>
        <source>Ultrasound</source>
        <translation>B超</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="168"/>
        <source>Conclusion</source>
        <translation>健康评价</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="170"/>
        <source>Result given back on</source>
        <translation>结果告知日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="171"/>
        <source>Abnormal findings</source>
        <translation>异常情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="173"/>
        <source>Health guidance</source>
        <translation>健康指导</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="174"/>
        <source>Risk factors to control</source>
        <translation>危险因素控制</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="176"/>
        <source>Weight goal</source>
        <translation>目标体重</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="177"/>
        <source>Vaccine advised</source>
        <translation>建议接种疫苗</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="178"/>
        <source>Advice</source>
        <translation>健康建议</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="179"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="184"/>
        <source>BMI %s</source>
        <translation>体质指数 %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/exam_form.py" line="205"/>
        <source>Please enter the exam date</source>
        <translation>请填写体检日期</translation>
    </message>
</context>
<context>
    <name>ExamTableModel</name>
    <message>
        <location filename="../../app/ui/models/care.py" line="113"/>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="113"/>
        <source>Record no.</source>
        <translation>健康档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="113"/>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="113"/>
        <source>Exam date</source>
        <translation>体检日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="114"/>
        <source>BP</source>
        <translation>血压</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="114"/>
        <source>BMI</source>
        <translation>体质指数</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="114"/>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="114"/>
        <source>Conclusion</source>
        <translation>健康评价</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="115"/>
        <source>Result given back</source>
        <translation>结果告知</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="115"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="115"/>
        <source>Abnormal findings</source>
        <translation>异常情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="142"/>
        <source>not yet</source>
        <translation>未告知</translation>
    </message>
</context>
<context>
    <name>ExamsPage</name>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="101"/>
        <source>Search: name, pinyin initials, ID or record no.</source>
        <translation>搜索：姓名、拼音首字母、身份证号或档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="106"/>
        <source>All years</source>
        <translation>全部年份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="108"/>
        <source>All conclusions</source>
        <translation>全部评价</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="112"/>
        <source>All groups</source>
        <translation>全部小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="115"/>
        <source>Result not given back</source>
        <translation>结果未告知</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="128"/>
        <source>New exam…</source>
        <translation>新建体检…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="129"/>
        <source>Open / correct…</source>
        <translation>查看/更正…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="130"/>
        <source>Mark result given back…</source>
        <translation>登记结果已告知…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="131"/>
        <source>Print result slip</source>
        <translation>打印体检结果单</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="213"/>
        <source>%d exams</source>
        <translation>体检 %d 份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="215"/>
        <source>not given back: %d</source>
        <translation>未告知 %d</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="249"/>
        <source>New exam for</source>
        <translation>为谁体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/exams.py" line="276"/>
        <source>Exam result of %1, %2</source>
        <translation>%1的体检结果（%2）</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="103"/>
        <source>Correct follow-up</source>
        <translation>更正随访记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="103"/>
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="110"/>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="117"/>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="208"/>
        <source>%s follow-up</source>
        <translation>%s随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="145"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="146"/>
        <source>Ctrl+S</source>
        <translation>Ctrl+S 保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="148"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="176"/>
        <source>Referral result</source>
        <translation>转诊结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="182"/>
        <source>Only the referral result, no visit today</source>
        <translation>只登记转诊结果，今天不随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="184"/>
        <source>Result</source>
        <translation>转诊结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="185"/>
        <source>Checked on</source>
        <translation>核实日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="186"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="209"/>
        <source>%d years</source>
        <translation>%d岁</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="216"/>
        <source>%1 has no %2 diagnosis on file; add it in the resident&apos;s file first.</source>
        <translation>%1的档案中没有“%2”诊断，请先在居民档案中登记诊断。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="247"/>
        <source>No earlier follow-up of this kind.</source>
        <translation>以前没有这类随访记录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="251"/>
        <source>Last visit %1: %2 %3</source>
        <translation>上次随访 %1：%2 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="254"/>
        <source>drugs: %s</source>
        <translation>用药：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="255"/>
        <source>drugs and goals are copied from it.</source>
        <translation>用药和目标已照上次填入。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="262"/>
        <source>The visit of %1 referred the patient %2. Did the referral take place?</source>
        <translation>%1 随访时已转诊%2。转诊是否到位？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="291"/>
        <location filename="../../app/ui/dialogs/followup_dialog.py" line="313"/>
        <source>No suggestion yet: %s</source>
        <translation>暂无建议：%s</translation>
    </message>
</context>
<context>
    <name>FollowUpForm</name>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="68"/>
        <source>Visit</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="74"/>
        <source>Date</source>
        <translation>随访日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="75"/>
        <source>Method</source>
        <translation>随访方式</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="76"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="79"/>
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="82"/>
        <source>Other symptoms</source>
        <translation>其他症状</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="84"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="85"/>
        <source>Danger signs present (choose them)</source>
        <translation>有危急情况（勾选后选择）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="88"/>
        <source>Danger signs</source>
        <translation>危急情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="93"/>
        <source>Signs</source>
        <translation>体征</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="101"/>
        <source>Blood pressure</source>
        <translation>血压</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="102"/>
        <source>Heart rate</source>
        <translation>心率</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="102"/>
        <source>beats/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="103"/>
        <source>Weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="104"/>
        <source>kg (now / goal)</source>
        <translation>kg（目前/目标）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="105"/>
        <source>Height</source>
        <translation>身高</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="110"/>
        <source>Foot pulse</source>
        <translation>足背动脉搏动</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="112"/>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="114"/>
        <source>Other signs</source>
        <translation>其他体征</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="117"/>
        <source>Lifestyle (now / goal for the next visit)</source>
        <translation>生活方式指导（目前/下次随访目标）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="126"/>
        <source>Cigarettes a day</source>
        <translation>日吸烟量（支）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="127"/>
        <source>Liquor a day (liang)</source>
        <translation>日饮酒量（两）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="128"/>
        <source>Exercise</source>
        <translation>运动</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="128"/>
        <location filename="../../app/ui/dialogs/followup_form.py" line="130"/>
        <source>times/week</source>
        <translation>次/周</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="129"/>
        <location filename="../../app/ui/dialogs/followup_form.py" line="131"/>
        <source>min/time</source>
        <translation>分钟/次</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="130"/>
        <source>Exercise goal</source>
        <translation>运动目标</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="135"/>
        <source>Staple food (g/day)</source>
        <translation>主食（克/天）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="139"/>
        <source>Salt intake</source>
        <translation>摄盐情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="143"/>
        <source>Psychological adjustment</source>
        <translation>心理调整</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="144"/>
        <source>Follows medical advice</source>
        <translation>遵医行为</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="147"/>
        <source>Tests</source>
        <translation>辅助检查</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="152"/>
        <source>Fasting glucose</source>
        <translation>空腹血糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="153"/>
        <source>HbA1c</source>
        <translation>糖化血红蛋白</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="153"/>
        <source>tested on</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="155"/>
        <source>Other tests</source>
        <translation>其他检查</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="158"/>
        <source>Medication</source>
        <translation>用药</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="160"/>
        <source>Adverse drug reaction</source>
        <translation>有药物不良反应</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="162"/>
        <source>Which reaction</source>
        <translation>何种不良反应</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="163"/>
        <source>New or worse complication</source>
        <translation>出现新的并发症或原有并发症加重</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="164"/>
        <source>Adherence</source>
        <translation>服药依从性</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="166"/>
        <source>Reaction</source>
        <translation>不良反应</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="170"/>
        <source>Hypoglycaemia</source>
        <translation>低血糖反应</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="175"/>
        <source>Drugs taken</source>
        <translation>用药情况</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="176"/>
        <source>Drug changes advised</source>
        <translation>用药调整意见</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="180"/>
        <source>Referral</source>
        <translation>转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="183"/>
        <source>Hospital and department</source>
        <translation>机构及科别</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="185"/>
        <source>Contact person and phone</source>
        <translation>联系人及电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="186"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="187"/>
        <source>To</source>
        <translation>转往</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="188"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="190"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="219"/>
        <source>BMI: enter weight and height</source>
        <translation>体质指数：请填写体重和身高</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="221"/>
        <source>BMI %1 / %2</source>
        <translation>体质指数 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/followup_form.py" line="278"/>
        <source>Please enter the date of the visit</source>
        <translation>请填写随访日期</translation>
    </message>
</context>
<context>
    <name>FollowUpTableModel</name>
    <message>
        <location filename="../../app/ui/models/care.py" line="80"/>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="80"/>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="80"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="80"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="81"/>
        <source>Method</source>
        <translation>随访方式</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="81"/>
        <source>BP</source>
        <translation>血压</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="81"/>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="81"/>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="82"/>
        <source>Next visit</source>
        <translation>下次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="82"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="97"/>
        <source>Suggested: %1 %2 %3</source>
        <translation>系统建议：%1 %2 %3</translation>
    </message>
</context>
<context>
    <name>FollowUpsPage</name>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="141"/>
        <source>Search: name, pinyin initials, ID or record no.</source>
        <translation>搜索：姓名、拼音首字母、身份证号或档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="144"/>
        <source>All kinds</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="150"/>
        <source>All years</source>
        <translation>全部年份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="152"/>
        <source>All groups</source>
        <translation>全部小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="170"/>
        <source>Follow-up records</source>
        <translation>随访记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="171"/>
        <source>Patients and next visits</source>
        <translation>患者与下次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="183"/>
        <source>Print the year&apos;s sheets</source>
        <translation>打印全年随访表</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="276"/>
        <source>%1 follow-ups, %2 face to face; %3 patients, %4 overdue, %5 short of the yearly visits</source>
        <translation>随访 %1 次，面对面 %2 次；患者 %3 人，逾期 %4 人，今年面对面次数不足 %5 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="179"/>
        <source>New follow-up…</source>
        <translation>新建随访…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="180"/>
        <source>General visit…</source>
        <translation>入户随访…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="181"/>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="182"/>
        <source>Referral result…</source>
        <translation>登记转诊结果…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="369"/>
        <source>New follow-up for</source>
        <translation>为谁随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="379"/>
        <source>General visit for</source>
        <translation>为谁入户随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/followups.py" line="403"/>
        <source>Follow-up sheets of %1, %2</source>
        <translation>%1的随访记录表（%2年）</translation>
    </message>
</context>
<context>
    <name>GeneralVisitDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="99"/>
        <source>General visit</source>
        <translation>入户随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="106"/>
        <source>What was checked, advised or handed out</source>
        <translation>检查了什么、做了哪些指导、发放了什么</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="111"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="112"/>
        <source>Method</source>
        <translation>随访方式</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="113"/>
        <source>Content</source>
        <translation>随访内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="114"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="115"/>
        <source>Next visit</source>
        <translation>下次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="116"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="123"/>
        <source>Please enter the date of the visit</source>
        <translation>请填写随访日期</translation>
    </message>
</context>
<context>
    <name>HistoryPane</name>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="42"/>
        <source>Choose a line to see the patient&apos;s history</source>
        <translation>选择一行，查看该患者的随访史</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="46"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="46"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="46"/>
        <source>Method</source>
        <translation>随访方式</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="46"/>
        <source>BP</source>
        <translation>血压</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="46"/>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="47"/>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="47"/>
        <source>Next visit</source>
        <translation>下次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="47"/>
        <source>Referral</source>
        <translation>转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="47"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="61"/>
        <source>%1: %2 follow-ups, %3 face to face this year</source>
        <translation>%1：共随访 %2 次，今年面对面 %3 次</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="72"/>
        <source>not checked</source>
        <translation>未核实</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/care_history.py" line="74"/>
        <source>General visit</source>
        <translation>入户随访</translation>
    </message>
</context>
<context>
    <name>NumberField</name>
    <message>
        <location filename="../../app/ui/widgets/form_fields.py" line="49"/>
        <source>“%s” is not a number</source>
        <translation>“%s”不是数字</translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <location filename="../../app/ui/models/care.py" line="155"/>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="155"/>
        <source>Record no.</source>
        <translation>健康档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="155"/>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="155"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="156"/>
        <source>Last visit</source>
        <translation>上次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="156"/>
        <source>Last class</source>
        <translation>上次分类</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="156"/>
        <source>Due</source>
        <translation>应随访日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="156"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="157"/>
        <source>Face to face this year</source>
        <translation>今年面对面</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="157"/>
        <source>Referral</source>
        <translation>转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="164"/>
        <source>%d days overdue</source>
        <translation>逾期 %d 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="165"/>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="165"/>
        <source>due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="166"/>
        <source>booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="190"/>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/care.py" line="194"/>
        <source>to check</source>
        <translation>待查</translation>
    </message>
</context>
<context>
    <name>PersonPicker</name>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="203"/>
        <source>Name, pinyin initials, ID or record no.</source>
        <translation>姓名、拼音首字母、身份证号或档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="209"/>
        <source>Choose</source>
        <translation>选定</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="211"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PrintHook</name>
    <message>
        <location filename="../../app/ui/care_print.py" line="60"/>
        <source>Printing this form is not available in this version yet.</source>
        <translation>此版本还不能打印这份表单。</translation>
    </message>
</context>
<context>
    <name>ReferralResultDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="141"/>
        <source>%1: referral at the %2 visit of %3 (%4)</source>
        <translation>%1：%3 %2随访时转诊（%4）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="143"/>
        <source>Referral result</source>
        <translation>转诊结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="146"/>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="150"/>
        <source>Result</source>
        <translation>转诊结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="151"/>
        <source>Checked on</source>
        <translation>核实日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="152"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ReturnedDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="171"/>
        <source>%1: exam of %2, %3</source>
        <translation>%1：%2 体检，%3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="173"/>
        <source>Result given back</source>
        <translation>结果告知</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="177"/>
        <source>Given back on</source>
        <translation>告知日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/care_dialogs.py" line="178"/>
        <source>Mark returned</source>
        <translation>登记已告知</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="49"/>
        <source>Suggestion</source>
        <translation>系统建议</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="61"/>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="86"/>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="62"/>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="87"/>
        <source>Measure</source>
        <translation>管理措施</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="63"/>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="88"/>
        <source>Next visit</source>
        <translation>下次随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="68"/>
        <source>Enter the blood pressure or glucose to see a suggestion.</source>
        <translation>填写血压或血糖后显示建议。</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="78"/>
        <source>Confirmed by the doctor</source>
        <translation>医生确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="79"/>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="80"/>
        <source>(as suggested)</source>
        <translation>（按建议）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="100"/>
        <source>Use the suggestion</source>
        <translation>采用建议</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="109"/>
        <source>Enter moves to the next field; Ctrl+S saves.</source>
        <translation>回车跳到下一项，Ctrl+S 保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="139"/>
        <source>%1 (in %2 days)</source>
        <translation>%1（%2 天后）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="145"/>
        <source>Urgent referral: danger signs</source>
        <translation>危急情况：请处理后紧急转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="149"/>
        <source>Referral suggested</source>
        <translation>建议转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="155"/>
        <source>Face-to-face visits this year, this one included: %d</source>
        <translation>今年面对面随访（含本次）：%d 次</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/suggestion_panel.py" line="199"/>
        <source>Changed from the suggestion (%s); both will be recorded.</source>
        <translation>已修改建议（建议：%s），两者都会记录。</translation>
    </message>
</context>
<context>
    <name>TaskTableModel</name>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="26"/>
        <source>Enter the follow-up</source>
        <translation>填写随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="28"/>
        <source>Check the referral</source>
        <translation>随访转诊结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="29"/>
        <source>Enter the exam</source>
        <translation>登记体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="30"/>
        <source>Give the result back</source>
        <translation>告知体检结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="31"/>
        <source>Renew the contract</source>
        <translation>续签协议</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="39"/>
        <source>%d face-to-face visits this year</source>
        <translation>今年面对面随访 %d 次</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="45"/>
        <source>%d days overdue</source>
        <translation>逾期 %d 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="47"/>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="60"/>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="60"/>
        <source>Record no.</source>
        <translation>健康档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="60"/>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="60"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="61"/>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="61"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="61"/>
        <source>To do</source>
        <translation>要做</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/tasks.py" line="61"/>
        <source>Details</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>WorktablePage</name>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="99"/>
        <source>Tasks of the day</source>
        <translation>工作任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="106"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="111"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="139"/>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="139"/>
        <source>Count</source>
        <translation>任务数</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="140"/>
        <location filename="../../app/ui/pages/worktable.py" line="267"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="155"/>
        <source>By village group</source>
        <translation>按村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="159"/>
        <source>Open form…</source>
        <translation>打开表单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="162"/>
        <source>Double-click a line or press Enter to open its form.</source>
        <translation>双击一行或按回车键打开对应的表单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="256"/>
        <source>%1 tasks, %2 overdue</source>
        <translation>共 %1 项任务，逾期 %2 项</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="266"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="266"/>
        <source>Follow-ups due</source>
        <translation>随访到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="267"/>
        <source>Referrals to check</source>
        <translation>转诊待查</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="268"/>
        <source>Yearly exam not done</source>
        <translation>年度体检未做</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="268"/>
        <source>Exam result not given</source>
        <translation>体检结果未告知</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="269"/>
        <source>Contracts expiring</source>
        <translation>协议即将到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/worktable.py" line="279"/>
        <source>All groups</source>
        <translation>全部小组</translation>
    </message>
</context>
</TS>
