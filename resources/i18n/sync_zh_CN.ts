<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="80"/>
        <source>Enrol with the county</source>
        <translation>在县里注册</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="86"/>
        <source>County server</source>
        <translation>县级服务器</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="87"/>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="92"/>
        <source>Ask the county for a one-time enrolment code for this PC.</source>
        <translation>请向县里要一个给本机用的一次性注册码。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="115"/>
        <source>Sync with the county</source>
        <translation>与县里同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="117"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="118"/>
        <source>County server</source>
        <translation>县级服务器</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="119"/>
        <source>Not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="120"/>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="122"/>
        <source>Enrol…</source>
        <translation>注册…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="124"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="138"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="138"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="138"/>
        <source>This PC</source>
        <translation>本机的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="138"/>
        <source>Other side</source>
        <translation>另一方的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="139"/>
        <source>Now</source>
        <translation>现在的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="139"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="144"/>
        <source>Keep this PC&apos;s value</source>
        <translation>保留本机的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="145"/>
        <source>Keep the other value</source>
        <translation>保留另一方的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="148"/>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="149"/>
        <source>One resident registered twice: keep one file and move every record of the other to it</source>
        <translation>同一居民建了两份档案：留下一份，另一份的全部记录移到它名下</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="154"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="157"/>
        <source>The same field was changed differently on two PCs. The county kept one value and set the other aside; choose which one the record keeps. A resident registered on two PCs is merged into the file you keep.</source>
        <translation>同一字段在两台电脑上被改成了不同的值。县里保留了一个值，另一个暂存；请选定记录保留哪一个。同一居民在两台电脑上各建了档案时，合并到您留下的那份档案。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="225"/>
        <source>This database was copied from another enrolled PC: enrol again with a new code before syncing</source>
        <translation>这个数据库是从另一台已注册的电脑复制来的：须用新的注册码重新注册后才能同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="228"/>
        <source>Enrolled: %1, station %2</source>
        <translation>已注册：%1，机位号 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="231"/>
        <source>Not enrolled yet: ask the county for an enrolment code</source>
        <translation>尚未注册：请向县里要注册码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="233"/>
        <source>%1 changes</source>
        <translation>%1 条修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="234"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="243"/>
        <source>Resident ID %1</source>
        <translation>身份证号 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="244"/>
        <source>two files</source>
        <translation>两份档案</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="255"/>
        <source>%1 (%2), %3 visits, %4 claims</source>
        <translation>%1（%2），随访 %3 次，结算 %4 条</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="279"/>
        <source>Only an administrator can enrol this PC with the county.</source>
        <translation>只有管理员可以为本机在县里注册。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="297"/>
        <source>Enrolled with the county: %1, station %2</source>
        <translation>已在县里注册：%1，机位号 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="307"/>
        <source>Syncing… you can go on working.</source>
        <translation>正在同步……可以继续工作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="326"/>
        <source>Sync done: %1 sent, %2 received, %3 conflicts</source>
        <translation>同步完成：送出 %1 条，收到 %2 条，冲突 %3 处</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="329"/>
        <source>The county did not take: %1</source>
        <translation>县里未接收：%1</translation>
    </message>
</context>
</TS>
