import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// One message: Markdown split into blocks (prose via Qt's Markdown, code via CodeBlock),
// sibling pager, actions, and the statistics footer under answers (model, quantization,
// device, speeds; seed and sampler settings in its tooltip).
Item {
    id: root
    required property int index
    required property var messageId
    required property string role
    required property string content
    required property bool streaming
    required property int siblingIndex
    required property int siblingCount
    required property string footer
    required property string details
    required property string spokenLabel
    required property ChatController chat
    signal editRequested(int row, string text)
    signal linkClicked(string link)

    readonly property bool isUser: role === "user"
    implicitHeight: column.implicitHeight + 16
    // A screen reader hears whose message this is before its text.
    Accessible.role: Accessible.ListItem
    Accessible.name: root.spokenLabel

    MarkdownBlockModel { id: blocks; markdown: root.content }

    ColumnLayout {
        id: column
        x: root.isUser ? root.width - width - 24 : 24
        y: 8
        width: root.isUser ? Math.min(root.width * 0.7, Math.max(bubble.contentWidthHint, 80)) : Math.min(root.width - 48, 860)
        spacing: 4

        Rectangle {
            id: bubble
            Layout.fillWidth: true
            implicitHeight: blockColumn.implicitHeight + (root.isUser ? 20 : 0)
            radius: 12
            color: root.isUser ? Theme.userBubble : "transparent"
            property real contentWidthHint: userMeasure.implicitWidth + 28

            Text { id: userMeasure; visible: false; text: root.content; font: Qt.application.font }

            Column {
                id: blockColumn
                x: root.isUser ? 14 : 0
                y: root.isUser ? 10 : 0
                width: parent.width - (root.isUser ? 28 : 0)
                spacing: 8

                Repeater {
                    model: blocks
                    delegate: Loader {
                        id: blockLoader
                        required property string kind
                        required property string text
                        required property string rendered
                        required property string language
                        required property bool closed
                        width: blockColumn.width
                        sourceComponent: kind === "code" ? codeComponent : textComponent

                        Component {
                            id: textComponent
                            TextEdit {
                                readOnly: true
                                selectByMouse: true
                                wrapMode: Text.Wrap
                                textFormat: root.isUser ? TextEdit.PlainText : TextEdit.MarkdownText
                                // Answers are untrusted: images become links, HTML is shown as text.
                                text: root.isUser ? blockLoader.text : blockLoader.rendered
                                color: Theme.text
                                selectionColor: Theme.selection
                                selectedTextColor: Theme.text
                                font.pixelSize: blockLoader.kind === "heading" ? 17 : 15
                                Accessible.role: Accessible.StaticText
                                // The rendered words, not the Markdown source (no "##", "**",
                                // backticks or table pipes read aloud); table cells and
                                // paragraphs come back as Qt's separator characters.
                                Accessible.name: getText(0, length).replace(/[\ufdd0\ufdd1]/g, " ")
                                                                   .replace(/\u2029/g, "\n").trim()
                                onLinkActivated: (link) => root.linkClicked(link)
                                HoverHandler { cursorShape: parent.hoveredLink ? Qt.PointingHandCursor : Qt.IBeamCursor }
                            }
                        }
                        Component {
                            id: codeComponent
                            CodeBlock {
                                code: blockLoader.text
                                language: blockLoader.language
                                onCopyRequested: root.chat.copyText(blockLoader.text)
                            }
                        }
                    }
                }

                BusyIndicator {
                    visible: root.streaming && root.content.length === 0
                    running: visible
                    width: 28
                    height: 28
                    Accessible.name: qsTr("Waiting for the first token")
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            layoutDirection: root.isUser ? Qt.RightToLeft : Qt.LeftToRight
            spacing: 2
            visible: !root.streaming

            Row {
                visible: root.siblingCount > 1
                spacing: 0
                ToolButton {
                    objectName: "previousSibling"
                    text: "‹"
                    enabled: root.siblingIndex > 0
                    Accessible.name: qsTr("Previous version")
                    Accessible.onPressAction: clicked()
                    onClicked: root.chat.showSibling(root.index, -1)
                }
                Label {
                    anchors.verticalCenter: parent.verticalCenter
                    text: (root.siblingIndex + 1) + "/" + root.siblingCount
                    color: Theme.subtext
                    Accessible.name: qsTr("Version %1 of %2").arg(root.siblingIndex + 1).arg(root.siblingCount)
                }
                ToolButton {
                    objectName: "nextSibling"
                    text: "›"
                    enabled: root.siblingIndex < root.siblingCount - 1
                    Accessible.name: qsTr("Next version")
                    Accessible.onPressAction: clicked()
                    onClicked: root.chat.showSibling(root.index, 1)
                }
            }
            ToolButton {
                text: qsTr("Copy")
                font.pixelSize: 12
                Accessible.name: root.isUser ? qsTr("Copy message") : qsTr("Copy answer")
                Accessible.onPressAction: clicked()
                onClicked: root.chat.copyText(root.content)
            }
            ToolButton {
                visible: root.isUser
                text: qsTr("Edit")
                font.pixelSize: 12
                Accessible.name: qsTr("Edit and resend")
                enabled: !root.chat.generating
                Accessible.onPressAction: clicked()
                onClicked: root.editRequested(root.index, root.content)
            }
            ToolButton {
                objectName: "regenerateButton"
                readonly property int answerRow: root.index
                visible: !root.isUser
                text: qsTr("Regenerate")
                font.pixelSize: 12
                Accessible.name: qsTr("Regenerate answer")
                enabled: !root.chat.generating
                Accessible.onPressAction: clicked()
                onClicked: root.chat.regenerate(root.index)
            }
            Label {
                visible: !root.isUser && root.footer.length > 0
                Layout.fillWidth: true
                text: root.footer
                textFormat: Text.PlainText
                color: Theme.subtext
                font.pixelSize: 12
                elide: Text.ElideRight
                Accessible.name: qsTr("Answer statistics: %1").arg(text)
                Accessible.description: root.details
                HoverHandler { id: footerHover }
                ToolTip.visible: footerHover.hovered && root.details.length > 0
                ToolTip.delay: 500
                ToolTip.text: root.details
            }
        }
    }
}
