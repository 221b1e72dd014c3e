import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// A fenced code block: language label, copy button, and KDE Syntax Highlighting colours in the
// theme matching light or dark mode.
Rectangle {
    id: root
    property string code
    property string language
    signal copyRequested()

    implicitHeight: header.height + codeText.implicitHeight + 20
    radius: 8
    color: Theme.surface
    border.color: Theme.border
    clip: true

    Rectangle {
        id: header
        width: parent.width
        height: 32
        color: Theme.codeHeader
        radius: 8
        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 8; color: parent.color }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 4
            Label {
                Layout.fillWidth: true
                text: root.language.length > 0 ? root.language : qsTr("text")
                color: Theme.subtext
                font.family: Theme.monoFamily
                font.pixelSize: 12
                Accessible.name: qsTr("Code language: %1").arg(text)
            }
            ToolButton {
                id: copyButton
                objectName: "copyCodeButton"
                text: copied ? qsTr("Copied") : qsTr("Copy")
                font.pixelSize: 12
                property bool copied: false
                Accessible.name: qsTr("Copy code")
                Accessible.onPressAction: clicked()
                onClicked: { root.copyRequested(); copied = true; resetTimer.restart() }
                Timer { id: resetTimer; interval: 1500; onTriggered: copyButton.copied = false }
            }
        }
    }

    TextEdit {
        id: codeText
        objectName: "codeText"
        x: 12
        y: header.height + 10
        width: parent.width - 24
        readOnly: true
        selectByMouse: true
        textFormat: TextEdit.PlainText
        wrapMode: TextEdit.Wrap
        text: root.code
        font.family: Theme.monoFamily
        font.pixelSize: 13
        color: Theme.text
        selectionColor: Theme.selection
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Code: %1").arg(root.code)
    }

    CodeBlockHighlighter {
        id: highlighter
        document: codeText.textDocument
        language: root.language
        dark: Theme.dark
    }
}
