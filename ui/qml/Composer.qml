import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// Multi-line input. Enter sends, Shift+Enter adds a line; disabled, with the reason, while no
// model is loaded. Also hosts edit-and-resend of an earlier question.
Rectangle {
    id: root
    required property ChatController chat
    required property ModelController models

    property int editRow: -1
    readonly property bool ready: root.models.modelLoaded && !root.models.loading
    readonly property string hint: root.models.loading ? qsTr("Loading %1…").arg(root.models.loadingName)
                                 : !root.models.modelLoaded ? qsTr("Choose a model at the top to start chatting.")
                                 : ""

    implicitHeight: layout.implicitHeight + 24
    color: Theme.window

    function focusInput() { input.forceActiveFocus() }
    function startEdit(row, text) { editRow = row; input.text = text; input.forceActiveFocus(); input.cursorPosition = input.length }

    function submit() {
        if (!root.ready || root.chat.generating)
            return
        const ok = editRow >= 0 ? root.chat.editAndResend(editRow, input.text) : root.chat.send(input.text)
        if (ok) {
            input.text = ""
            editRow = -1
        }
    }

    ColumnLayout {
        id: layout
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: 24
        anchors.rightMargin: 24
        spacing: 4

        RowLayout {
            visible: root.editRow >= 0
            Label { text: qsTr("Editing a message: sending starts a new branch."); color: Theme.subtext; font.pixelSize: 12; Layout.fillWidth: true }
            ToolButton {
                text: qsTr("Cancel edit")
                font.pixelSize: 12
                Accessible.name: text
                Accessible.onPressAction: clicked()
                onClicked: { root.editRow = -1; input.text = "" }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Math.min(Math.max(input.implicitHeight, 44), 200) + 12
            radius: 12
            color: Theme.raised
            border.color: input.activeFocus ? Theme.accent : Theme.border

            RowLayout {
                anchors.fill: parent
                anchors.margins: 6
                spacing: 6

                ScrollView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    TextArea {
                        id: input
                        objectName: "composerInput"
                        enabled: root.ready
                        wrapMode: TextEdit.Wrap
                        placeholderText: root.hint.length > 0 ? root.hint : qsTr("Message %1… (Enter to send, Shift+Enter for a new line)").arg(root.models.loadedName)
                        placeholderTextColor: Theme.subtext
                        color: Theme.text
                        background: null
                        Accessible.name: qsTr("Message")
                        Accessible.description: root.hint.length > 0 ? root.hint : qsTr("Enter sends, Shift+Enter adds a new line")
                        Keys.onPressed: (event) => {
                            if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                    && !(event.modifiers & Qt.ShiftModifier)) {
                                event.accepted = true
                                root.submit()
                            }
                        }
                    }
                }

                Button {
                    id: sendButton
                    objectName: root.chat.generating ? "stopButton" : "sendButton"
                    Layout.alignment: Qt.AlignBottom
                    text: root.chat.generating ? qsTr("Stop") : qsTr("Send")
                    enabled: root.chat.generating || (root.ready && input.text.trim().length > 0)
                    Accessible.name: root.chat.generating ? qsTr("Stop generating (Esc)") : qsTr("Send message")
                    highlighted: true
                    Accessible.onPressAction: clicked()
                    onClicked: root.chat.generating ? root.chat.stop() : root.submit()
                }
            }
        }

        Label {
            objectName: "composerHint"
            visible: root.hint.length > 0 || root.chat.lastError.length > 0
            text: root.hint.length > 0 ? root.hint : root.chat.lastError
            color: root.hint.length > 0 ? Theme.subtext : Theme.danger
            font.pixelSize: 12
            Accessible.name: text
        }
    }
}
