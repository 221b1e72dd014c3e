import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// The model picker (HuggingChat style) and the conversation title.
Rectangle {
    id: root
    required property ChatController chat
    required property ModelController models

    implicitHeight: 56
    color: Theme.window

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        spacing: 12

        ModelPicker {
            id: picker
            models: root.models
            Layout.preferredWidth: 360
        }

        Label {
            Layout.fillWidth: true
            text: root.chat.currentConversationId !== 0 ? root.chat.currentTitle : ""
            textFormat: Text.PlainText
            elide: Text.ElideRight
            horizontalAlignment: Text.AlignRight
            color: Theme.subtext
            Accessible.name: qsTr("Conversation: %1").arg(text)
        }
    }

    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }
}
