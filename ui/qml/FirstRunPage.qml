import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// Shown while no model is found anywhere: where GGUF files go, and a button to that folder.
Item {
    id: root
    objectName: "firstRunPage"
    required property ModelController models
    signal settingsRequested()

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 560)
        spacing: 14

        Label {
            Layout.fillWidth: true
            text: qsTr("Welcome to Parlo")
            font.pixelSize: 28
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Parlo runs open language models on this computer, offline. It needs a model file in GGUF format, "
                       + "such as the ones published on Hugging Face (look for names ending in .gguf, for example "
                       + "“Q4_K_M” versions of Llama, Mistral, Qwen or Phi).")
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.subtext
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Put .gguf files in this folder, then press Rescan:")
        }
        Label {
            objectName: "modelsFolderLabel"
            Layout.fillWidth: true
            wrapMode: Text.WrapAnywhere
            font.family: Theme.monoFamily
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            text: root.models.modelsFolder
            Accessible.name: qsTr("Models folder: %1").arg(text)
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 8
            Button {
                objectName: "openModelsFolderButton"
                text: qsTr("Open models folder")
                highlighted: true
                Accessible.name: text
                Accessible.onPressAction: clicked()
                onClicked: Qt.openUrlExternally(root.models.openModelsFolder())
            }
            Button {
                text: qsTr("Rescan")
                Accessible.name: qsTr("Scan the model folders again")
                Accessible.onPressAction: clicked()
                onClicked: root.models.rescan()
            }
            Button {
                text: qsTr("Add a folder…")
                Accessible.name: qsTr("Add a models folder in the settings")
                Accessible.onPressAction: clicked()
                onClicked: root.settingsRequested()
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.subtext
            font.pixelSize: 12
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Models already downloaded by LM Studio, GPT4All or the Hugging Face cache are found automatically and used where they are, without copying.")
        }
    }
}
