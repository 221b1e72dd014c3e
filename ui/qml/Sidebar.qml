import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// New chat, search, and the conversations grouped by day with pinned ones on top.
Rectangle {
    id: root
    required property ChatController chat
    signal settingsRequested()
    signal conversationChosen()

    color: Theme.sidebar

    function focusSearch() { searchField.forceActiveFocus(); searchField.selectAll() }

    // Handlers of list delegates call these: opening a conversation reloads the list, which
    // destroys the delegate (and its scope) while its handler still runs.
    function openConversation(id) {
        root.chat.openConversation(id)
        root.conversationChosen()
    }

    function openHit(row) {
        const messageRow = root.chat.openSearchHit(row)
        root.conversationChosen()
        return messageRow
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 8

        Button {
            id: newChatButton
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            icon.name: "list-add"
            Accessible.name: qsTr("New chat")
            Accessible.description: qsTr("Start a new conversation (Ctrl+N)")
            Accessible.onPressAction: clicked()
            onClicked: { root.chat.newChat(); root.conversationChosen() }
        }

        TextField {
            id: searchField
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats (Ctrl+K)")
            Accessible.name: qsTr("Search conversations")
            text: root.chat.searchQuery
            onTextEdited: root.chat.searchQuery = text
            Keys.onReturnPressed: if (root.chat.searchResults.count > 0) root.openHit(0)
            Keys.onEscapePressed: { text = ""; root.chat.searchQuery = "" }
        }

        ListView {
            id: searchList
            objectName: "searchResults"
            visible: root.chat.searchQuery.length > 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.chat.searchResults
            Accessible.name: qsTr("Search results")
            Label {
                anchors.centerIn: parent
                visible: searchList.count === 0
                text: qsTr("No messages match")
                color: Theme.subtext
            }
            delegate: ItemDelegate {
                id: hitDelegate
                required property int index
                required property string title
                required property string snippet
                width: ListView.view.width
                Accessible.name: title + ": " + snippet
                contentItem: ColumnLayout {
                    spacing: 2
                    Label { text: hitDelegate.title; textFormat: Text.PlainText; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true; color: Theme.text }
                    Label {
                        text: hitDelegate.snippet
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        color: Theme.subtext
                        font.pixelSize: 12
                    }
                }
                Accessible.onPressAction: clicked()
                onClicked: root.openHit(index)
            }
        }

        ListView {
            id: conversationList
            objectName: "conversationList"
            visible: root.chat.searchQuery.length === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.chat.conversations
            Accessible.name: qsTr("Conversations")
            section.property: "section"
            section.delegate: Label {
                required property string section
                text: section
                color: Theme.subtext
                font.pixelSize: 12
                font.bold: true
                topPadding: 10
                bottomPadding: 4
                leftPadding: 8
            }
            Label {
                anchors.centerIn: parent
                width: parent.width - 20
                visible: conversationList.count === 0
                text: qsTr("Your conversations will appear here.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: Theme.subtext
            }
            delegate: ItemDelegate {
                id: conversationDelegate
                objectName: "conversationEntry"
                required property int index
                required property var conversationId
                required property string title
                required property bool pinned
                width: ListView.view.width
                highlighted: conversationId === root.chat.currentConversationId
                text: title
                Accessible.name: (pinned ? qsTr("Pinned: ") : "") + title
                background: Rectangle {
                    radius: 6
                    color: conversationDelegate.highlighted ? Theme.selection
                         : conversationDelegate.hovered ? Theme.surface : "transparent"
                }
                contentItem: Label {
                    text: conversationDelegate.text
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    color: Theme.text
                    verticalAlignment: Text.AlignVCenter
                }
                Accessible.onPressAction: clicked()
                onClicked: root.openConversation(conversationId)
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: contextMenu.openFor(conversationDelegate.conversationId, conversationDelegate.title,
                                                  conversationDelegate.pinned)
                }
                Keys.onMenuPressed: contextMenu.openFor(conversationId, title, pinned)
            }
        }

        Button {
            Layout.fillWidth: true
            flat: true
            text: qsTr("Settings")
            icon.name: "configure"
            Accessible.name: qsTr("Settings")
            Accessible.description: qsTr("Open the settings (Ctrl+,)")
            Accessible.onPressAction: clicked()
            onClicked: root.settingsRequested()
        }
    }

    Menu {
        id: contextMenu
        property var conversationId: 0
        property string conversationTitle
        property bool pinned
        function openFor(id, title, pinned) {
            conversationId = id
            contextMenu.conversationTitle = title
            contextMenu.pinned = pinned
            popup()
        }
        MenuItem {
            text: qsTr("Rename…")
            Accessible.name: text
            Accessible.onPressAction: triggered()
            onTriggered: { renameDialog.conversationId = contextMenu.conversationId; renameField.text = contextMenu.conversationTitle; renameDialog.open() }
        }
        MenuItem {
            text: contextMenu.pinned ? qsTr("Unpin") : qsTr("Pin")
            Accessible.name: text
            Accessible.onPressAction: triggered()
            onTriggered: root.chat.setPinned(contextMenu.conversationId, !contextMenu.pinned)
        }
        MenuItem {
            text: qsTr("Delete…")
            Accessible.name: text
            Accessible.onPressAction: triggered()
            onTriggered: { deleteDialog.conversationId = contextMenu.conversationId; deleteDialog.conversationTitle = contextMenu.conversationTitle; deleteDialog.open() }
        }
    }

    Dialog {
        id: renameDialog
        property var conversationId: 0
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Rename conversation")
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: renameField
            width: 320
            Accessible.name: qsTr("New title")
            onAccepted: renameDialog.accept()
        }
        onOpened: renameField.forceActiveFocus()
        onAccepted: root.chat.renameConversation(conversationId, renameField.text)
    }

    Dialog {
        id: deleteDialog
        property var conversationId: 0
        property string conversationTitle
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete conversation?")
        standardButtons: Dialog.Yes | Dialog.No
        Label {
            text: qsTr("“%1” and all its messages will be deleted. This cannot be undone.").arg(deleteDialog.conversationTitle)
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            width: 320
        }
        onAccepted: root.chat.deleteConversation(conversationId)
    }
}
