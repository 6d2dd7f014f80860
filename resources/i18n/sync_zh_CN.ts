<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="71"/>
        <source>Enrol with the county</source>
        <translation>在县里注册</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="77"/>
        <source>County server</source>
        <translation>县级服务器</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="78"/>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="83"/>
        <source>Ask the county for a one-time enrolment code for this PC.</source>
        <translation>请向县里要一个给本机用的一次性注册码。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="106"/>
        <source>Sync with the county</source>
        <translation>与县里同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="108"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="109"/>
        <source>County server</source>
        <translation>县级服务器</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="110"/>
        <source>Not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="111"/>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="113"/>
        <source>Enrol…</source>
        <translation>注册…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="115"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="129"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="129"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="129"/>
        <source>This PC</source>
        <translation>本机的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="129"/>
        <source>Other side</source>
        <translation>另一方的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="130"/>
        <source>Now</source>
        <translation>现在的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="130"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="135"/>
        <source>Keep this PC&apos;s value</source>
        <translation>保留本机的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="136"/>
        <source>Keep the other value</source>
        <translation>保留另一方的值</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="139"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="142"/>
        <source>The same field was changed differently on two PCs. The county kept one value and set the other aside; choose which one the record keeps.</source>
        <translation>同一字段在两台电脑上被改成了不同的值。县里保留了其中一个，另一个已另外保存；请选定记录保留哪一个。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="173"/>
        <source>This database was copied from another enrolled PC: enrol again with a new code before syncing</source>
        <translation>这个数据库是从另一台已注册的电脑复制来的：须用新的注册码重新注册后才能同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="176"/>
        <source>Enrolled: %1, station %2</source>
        <translation>已注册：%1，机位号 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="179"/>
        <source>Not enrolled yet: ask the county for an enrolment code</source>
        <translation>尚未注册：请向县里要注册码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="181"/>
        <source>%1 changes</source>
        <translation>%1 条修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="182"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="201"/>
        <source>Only an administrator can enrol this PC with the county.</source>
        <translation>只有管理员可以为本机在县里注册。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="219"/>
        <source>Enrolled with the county: %1, station %2</source>
        <translation>已在县里注册：%1，机位号 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="229"/>
        <source>Syncing… you can go on working.</source>
        <translation>正在同步……可以继续工作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="248"/>
        <source>Sync done: %1 sent, %2 received, %3 conflicts</source>
        <translation>同步完成：送出 %1 条，收到 %2 条，冲突 %3 处</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/sync.py" line="251"/>
        <source>The county did not take: %1</source>
        <translation>县里未接收：%1</translation>
    </message>
</context>
</TS>
