<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="42"/>
        <source>Possible duplicate resident</source>
        <translation>疑似重复居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="44"/>
        <source>The same resident ID was registered twice, on two PCs. If they are one person, choose the file to keep: every record of the other file moves to it and the other file is closed. If they are two people, cancel and correct the ID in the resident&apos;s file.</source>
        <translation>同一身份证号在两台电脑上各建了一份档案。如果是同一个人，请选定留下的档案：另一份档案的全部记录都移到它名下，另一份档案注销。如果是两个人，请取消，到居民档案中改正身份证号。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="52"/>
        <source>File %1</source>
        <translation>档案 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="54"/>
        <source>Keep this file</source>
        <translation>留下这份档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="60"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="61"/>
        <source>Resident ID</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="62"/>
        <source>Record no.</source>
        <translation>健康档案编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="63"/>
        <source>Household</source>
        <translation>家庭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="64"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="65"/>
        <source>Visits</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="66"/>
        <source>Health exams</source>
        <translation>体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="67"/>
        <source>Claims</source>
        <translation>就医结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="68"/>
        <source>Contracts</source>
        <translation>签约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="69"/>
        <source>Diagnoses</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="78"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="79"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="89"/>
        <source>Choose the file to keep.</source>
        <translation>请选定留下的档案。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="102"/>
        <source>visits</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="102"/>
        <source>general visits</source>
        <translation>一般随访</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="103"/>
        <source>health exams</source>
        <translation>体检</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="103"/>
        <source>claims</source>
        <translation>就医结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="104"/>
        <source>contract memberships</source>
        <translation>签约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="105"/>
        <source>services delivered</source>
        <translation>履约记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="105"/>
        <source>diagnoses</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="115"/>
        <source>Merging moves to file %1 (%2): %3. File %4 is then closed; its record number still finds the kept file.</source>
        <translation>合并后移到档案 %1（%2）名下：%3。档案 %4 随即注销，用它的档案号仍能查到留下的档案。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="118"/>
        <source>no other records</source>
        <translation>没有其他记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="121"/>
        <source>Records both files hold once only (kept from the kept file): %1.</source>
        <translation>两份档案重复的记录只保留留下档案的一份：%1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="124"/>
        <source>Empty fields of the kept file filled from the other: %1.</source>
        <translation>留下的档案空着的项由另一份补上：%1 项。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/merge_dialog.py" line="127"/>
        <source>Fields the two files fill differently keep the kept file&apos;s value: %1.</source>
        <translation>两份档案填写不同的项保留留下档案的值：%1 项。</translation>
    </message>
</context>
</TS>
