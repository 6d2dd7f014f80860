<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>errors</name>
    <message>
        <location filename="../../app/ui/errors.py" line="37"/>
        <source>Cannot do that</source>
        <translation>无法完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="42"/>
        <source>Unexpected error</source>
        <translation>程序出错</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="43"/>
        <source>Something went wrong. Your data is safe; the last action was not saved.</source>
        <translation>程序出了点问题。您的数据是安全的，刚才的操作没有保存。</translation>
    </message>
</context>
</TS>
