<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="55" />
            <source>Export Video</source>
            <translation>動画の書き出し</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="61" />
            <source>YouTube 1080p (1920x1080)</source>
            <translation>YouTube 1080p (1920x1080)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="62" />
            <source>720p (1280x720)</source>
            <translation>720p (1280x720)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="63" />
            <source>1440p (2560x1440)</source>
            <translation>1440p (2560x1440)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="64" />
            <source>4K (3840x2160)</source>
            <translation>4K (3840x2160)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="72" />
            <source>{0} frames per second</source>
            <translation>毎秒 {0} フレーム</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="74" />
            <source>&amp;Captions (.srt and .vtt)</source>
            <translation>字幕 (.srt と .vtt)(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="75" />
            <source>C&amp;hapters for the video description</source>
            <translation>動画の説明欄用のチャプター(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="76" />
            <source>&amp;Thumbnail image</source>
            <translation>サムネイル画像(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="85" />
            <source>&amp;Browse...</source>
            <translation>参照(&amp;B)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="96" />
            <source>Ready to export.</source>
            <translation>書き出しの準備ができました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="102" />
            <source>&amp;Export</source>
            <translation>書き出し(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="107" />
            <source>Show in &amp;folder</source>
            <translation>フォルダーを開く(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="114" />
            <source>&amp;Preset:</source>
            <translation>プリセット(&amp;P):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="115" />
            <source>&amp;Frame rate:</source>
            <translation>フレームレート(&amp;F):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="119" />
            <source>&amp;Save to:</source>
            <translation>保存先(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="147" />
            <source>Export the video as</source>
            <translation>動画の保存先</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="149" />
            <source>MP4 video (*.mp4)</source>
            <translation>MP4 動画 (*.mp4)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="162" />
            <source>The file name must end in .mp4; name the video NAME.mp4.</source>
            <translation>ファイル名は .mp4 で終わる必要があります。「名前.mp4」としてください。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="185" />
            <source>Starting the export...</source>
            <translation>書き出しを開始しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="214" />
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="214" />
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="227" />
            <source>{0} - about {1} left</source>
            <translation>{0} - 残り約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="235" />
            <source>Exported {0} ({1}).</source>
            <translation>{0} を書き出しました ({1})。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="250" />
            <source>Export cancelled; no video was written.</source>
            <translation>書き出しをキャンセルしました。動画は作成されていません。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="256" />
            <source>Cancelling...</source>
            <translation>キャンセルしています...</translation>
        </message>
    </context>
    <context>
        <name>LecturePlayer</name>
        <message>
            <location filename="../../lecture_studio/gui/playback.py" line="81" />
            <source>Preparing the narration...</source>
            <translation>ナレーションを準備しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/playback.py" line="88" />
            <source>Preparing the preview...</source>
            <translation>プレビューを準備しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/playback.py" line="108" />
            <source>This slide has no narration to play; write a script or record one first.</source>
            <translation>このスライドには再生するナレーションがありません。先に原稿を書くか録音してください。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="102" />
            <source>&lt;b&gt;Slide properties&lt;/b&gt;</source>
            <translation>&lt;b&gt;スライドのプロパティ&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="145" />
            <source>&amp;New Lecture from Outline...</source>
            <translation>アウトラインから新しい講義(&amp;N)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="148" />
            <source>&amp;Import Deck or Outline...</source>
            <translation>スライドまたはアウトラインを読み込む(&amp;I)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="150" />
            <source>&amp;Open...</source>
            <translation>開く(&amp;O)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="151" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="153" />
            <source>Save &amp;As...</source>
            <translation>名前を付けて保存(&amp;A)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="156" />
            <source>&amp;Export Video...</source>
            <translation>動画を書き出す(&amp;E)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="158" />
            <source>&amp;Quit</source>
            <translation>終了(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="161" />
            <source>&amp;Undo</source>
            <translation>元に戻す(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="163" />
            <source>&amp;Redo</source>
            <translation>やり直す(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="166" />
            <source>&amp;Insert Slide</source>
            <translation>スライドを挿入(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="169" />
            <source>&amp;Duplicate Slide</source>
            <translation>スライドを複製(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="172" />
            <source>De&amp;lete Slide</source>
            <translation>スライドを削除(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="175" />
            <source>&amp;Hide Slide</source>
            <translation>スライドを非表示(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="179" />
            <source>Move Slide &amp;Up</source>
            <translation>スライドを上へ移動(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="182" />
            <source>Move Slide Do&amp;wn</source>
            <translation>スライドを下へ移動(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="184" />
            <source>&amp;Listen</source>
            <translation>聞く(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="186" />
            <source>&amp;Preview from This Slide</source>
            <translation>このスライドからプレビュー(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="188" />
            <source>&amp;Stop</source>
            <translation>停止(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="190" />
            <source>&amp;Record Narration</source>
            <translation>ナレーションを録音(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="194" />
            <source>Edit &amp;Script</source>
            <translation>原稿を編集(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="197" />
            <source>Go to Slide &amp;List</source>
            <translation>スライド一覧へ移動(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="212" />
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="214" />
            <source>Open &amp;Recent</source>
            <translation>最近使ったファイル(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="223" />
            <source>&amp;Edit</source>
            <translation>編集(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="233" />
            <source>&amp;Play</source>
            <translation>再生(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="238" />
            <source>&amp;Settings</source>
            <translation>設定(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="239" />
            <source>&amp;Language</source>
            <translation>言語(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="242" />
            <source>System Language</source>
            <translation>システムの言語</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="253" />
            <source>Main</source>
            <translation>メイン</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="267" />
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="299" />
            <location filename="../../lecture_studio/gui/main_window.py" line="690" />
            <source>Untitled lecture</source>
            <translation>無題の講義</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="328" />
            <source>1 slide, about {1}</source>
            <translation>スライド 1 枚、約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="328" />
            <source>{0} slides, about {1}</source>
            <translation>スライド {0} 枚、約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="350" />
            <source>Drawing slides...</source>
            <translation>スライドを描画しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="353" />
            <source>Import a deck or an outline to begin (Ctrl+I).</source>
            <translation>スライドまたはアウトラインを読み込んで始めましょう (Ctrl+I)。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="356" />
            <location filename="../../lecture_studio/gui/main_window.py" line="602" />
            <source>Move slide</source>
            <translation>スライドの移動</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="413" />
            <source>Opening {0}</source>
            <translation>{0} を開いています</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="416" />
            <source>Cancelled.</source>
            <translation>キャンセルしました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="432" />
            <source>Imported {0}.</source>
            <translation>{0} を読み込みました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="434" />
            <source>Opened {0}.</source>
            <translation>{0} を開きました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="464" />
            <source>Drawing slides</source>
            <translation>スライドを描画中</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="486" />
            <source>New lecture from an outline</source>
            <translation>アウトラインから新しい講義</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="487" />
            <source>Outlines (*.md *.markdown *.txt)</source>
            <translation>アウトライン (*.md *.markdown *.txt)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="494" />
            <source>Import a deck or an outline</source>
            <translation>スライドまたはアウトラインの読み込み</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="495" />
            <source>Decks and outlines ({0})</source>
            <translation>スライドとアウトライン ({0})</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="501" />
            <source>Open a lecture</source>
            <translation>講義を開く</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="502" />
            <source>Lecture Studio projects (project.json);;All files (*)</source>
            <translation>Lecture Studio プロジェクト (project.json);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="514" />
            <source>No recent files</source>
            <translation>最近使ったファイルはありません</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="517" />
            <source>&amp;Clear List</source>
            <translation>一覧を消去(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="530" />
            <source>Save the lecture as</source>
            <translation>講義の保存先</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="532" />
            <source>Lecture Studio projects (*.lecture)</source>
            <translation>Lecture Studio プロジェクト (*.lecture)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="551" />
            <source>Saved {0}.</source>
            <translation>{0} を保存しました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="568" />
            <source>New slide</source>
            <translation>新しいスライド</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="569" />
            <source>Insert slide</source>
            <translation>スライドの挿入</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="575" />
            <source>Duplicate slide</source>
            <translation>スライドの複製</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="584" />
            <source>Delete slide</source>
            <translation>スライドの削除</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="593" />
            <source>Hide slide</source>
            <translation>スライドを非表示</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="593" />
            <source>Show slide</source>
            <translation>スライドを表示</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="625" />
            <source>No sound device was found, so the preview plays without sound.</source>
            <translation>サウンドデバイスが見つからないため、プレビューは音声なしで再生されます。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="651" />
            <source>Unsaved changes</source>
            <translation>未保存の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="652" />
            <source>The lecture has unsaved changes. Save them first?</source>
            <translation>講義に未保存の変更があります。先に保存しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="681" />
            <source>The lecture was restored.</source>
            <translation>講義を復元しました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="684" />
            <source>The autosave could not be restored: {0}</source>
            <translation>自動保存を復元できませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="693" />
            <source>Restore the lecture?</source>
            <translation>講義を復元しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="695" />
            <source>Lecture Studio did not close properly last time. Restore the autosaved copy of “{0}”?</source>
            <translation>前回 Lecture Studio は正しく終了しませんでした。自動保存された「{0}」を復元しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="706" />
            <source>The language changes the next time Lecture Studio starts.</source>
            <translation>言語は次回 Lecture Studio を起動したときに変わります。</translation>
        </message>
    </context>
    <context>
        <name>MicrophoneRecorder</name>
        <message>
            <location filename="../../lecture_studio/gui/recording.py" line="63" />
            <source>No microphone was found; connect one and try again.</source>
            <translation>マイクが見つかりません。マイクを接続してからやり直してください。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/recording.py" line="79" />
            <source>The microphone could not be opened; check its settings.</source>
            <translation>マイクを開けませんでした。マイクの設定を確認してください。</translation>
        </message>
    </context>
    <context>
        <name>NarrationEditor</name>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="37" />
            <source>&amp;Narration script</source>
            <translation>ナレーション原稿(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="40" />
            <source>What the narrator says on this slide.</source>
            <translation>このスライドでナレーターが話す内容。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="51" />
            <location filename="../../lecture_studio/gui/narration_editor.py" line="171" />
            <source>&amp;Record</source>
            <translation>録音(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="58" />
            <source>Microphone level</source>
            <translation>マイクの音量</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="59" />
            <source>Use &amp;text-to-speech</source>
            <translation>音声合成を使う(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="81" />
            <source>No microphone was found, so recording is not available.</source>
            <translation>マイクが見つからないため、録音は使えません。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="127" />
            <source>Edit narration</source>
            <translation>ナレーションの編集</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="161" />
            <source>1 word, about {1} spoken</source>
            <translation>1 語、読み上げ約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="162" />
            <source>{0} words, about {1} spoken</source>
            <translation>{0} 語、読み上げ約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="167" />
            <source>Narration: your recording</source>
            <translation>ナレーション: 録音</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="168" />
            <source>&amp;Record again</source>
            <translation>録り直す(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="170" />
            <source>Narration: text-to-speech</source>
            <translation>ナレーション: 音声合成</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="173" />
            <source>Stop &amp;recording</source>
            <translation>録音を停止(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="192" />
            <source>Record narration</source>
            <translation>ナレーションの録音</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="209" />
            <source>Use text-to-speech</source>
            <translation>音声合成を使う</translation>
        </message>
    </context>
    <context>
        <name>PropertiesPanel</name>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="40" />
            <source>Follow the narration</source>
            <translation>ナレーションに合わせる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="41" />
            <source>Fixed length</source>
            <translation>固定の長さ</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="46" />
            <location filename="../../lecture_studio/gui/properties.py" line="58" />
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="50" />
            <location filename="../../lecture_studio/gui/properties.py" line="62" />
            <location filename="../../lecture_studio/gui/properties.py" line="68" />
            <source>Lecture default</source>
            <translation>講義の既定値</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="73" />
            <source>Text-to-speech</source>
            <translation>音声合成</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="74" />
            <source>Recorded file</source>
            <translation>録音ファイル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="76" />
            <source>Choose &amp;file...</source>
            <translation>ファイルを選択(&amp;F)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="83" />
            <source>&amp;Duration:</source>
            <translation>表示時間(&amp;D):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="84" />
            <source>&amp;Seconds:</source>
            <translation>秒数(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="85" />
            <source>&amp;Transition:</source>
            <translation>切り替え効果(&amp;T):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="86" />
            <source>Transition &amp;length:</source>
            <translation>切り替えの長さ(&amp;L):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="87" />
            <source>&amp;Voice:</source>
            <translation>声(&amp;V):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="88" />
            <source>R&amp;ate:</source>
            <translation>話す速さ(&amp;A):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="89" />
            <source>Narration s&amp;ource:</source>
            <translation>ナレーションの音源(&amp;O):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="140" />
            <source>Recording: {0}</source>
            <translation>録音: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="142" />
            <source>No recording yet</source>
            <translation>録音はまだありません</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="196" />
            <source>Change duration</source>
            <translation>表示時間の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="201" />
            <location filename="../../lecture_studio/gui/properties.py" line="206" />
            <source>Change transition</source>
            <translation>切り替え効果の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="209" />
            <source>Change voice</source>
            <translation>声の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="214" />
            <source>Change speaking rate</source>
            <translation>話す速さの変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="223" />
            <source>Change narration source</source>
            <translation>ナレーション音源の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="232" />
            <source>Choose a recording</source>
            <translation>録音ファイルの選択</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="234" />
            <source>Audio files ({0})</source>
            <translation>音声ファイル ({0})</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="243" />
            <source>Could not read {0}: {1}</source>
            <translation>{0} を読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="248" />
            <source>Use recorded file</source>
            <translation>録音ファイルを使う</translation>
        </message>
    </context>
    <context>
        <name>SlideList</name>
        <message>
            <location filename="../../lecture_studio/gui/slide_list.py" line="39" />
            <source>Slides</source>
            <translation>スライド</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/slide_list.py" line="65" />
            <source>(no title)</source>
            <translation>(タイトルなし)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/slide_list.py" line="68" />
            <source>(hidden)</source>
            <translation>(非表示)</translation>
        </message>
    </context>
    <context>
        <name>SlidePreview</name>
        <message>
            <location filename="../../lecture_studio/gui/preview.py" line="23" />
            <source>Slide preview</source>
            <translation>スライドのプレビュー</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/preview.py" line="59" />
            <source>No slide selected</source>
            <translation>スライドが選択されていません</translation>
        </message>
    </context>
    <context>
        <name>TimelineStrip</name>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="37" />
            <source>Timeline</source>
            <translation>タイムライン</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="50" />
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="119" />
            <source>Lecture length: {0}</source>
            <translation>講義の長さ: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="115" />
            <source>Slide {0}: {1}</source>
            <translation>スライド {0}: {1}</translation>
        </message>
    </context>
    <context>
        <name>Transitions</name>
        <message>
            <source>Cut</source>
            <translation>カット</translation>
        </message>
        <message>
            <source>Crossfade</source>
            <translation>クロスフェード</translation>
        </message>
        <message>
            <source>Fade black</source>
            <translation>黒へフェード</translation>
        </message>
        <message>
            <source>Fade white</source>
            <translation>白へフェード</translation>
        </message>
        <message>
            <source>Push left</source>
            <translation>左へプッシュ</translation>
        </message>
        <message>
            <source>Push right</source>
            <translation>右へプッシュ</translation>
        </message>
        <message>
            <source>Push up</source>
            <translation>上へプッシュ</translation>
        </message>
        <message>
            <source>Push down</source>
            <translation>下へプッシュ</translation>
        </message>
        <message>
            <source>Wipe left</source>
            <translation>左へワイプ</translation>
        </message>
        <message>
            <source>Wipe right</source>
            <translation>右へワイプ</translation>
        </message>
        <message>
            <source>Wipe up</source>
            <translation>上へワイプ</translation>
        </message>
        <message>
            <source>Wipe down</source>
            <translation>下へワイプ</translation>
        </message>
        <message>
            <source>Cover left</source>
            <translation>左からカバー</translation>
        </message>
        <message>
            <source>Cover right</source>
            <translation>右からカバー</translation>
        </message>
        <message>
            <source>Cover up</source>
            <translation>上へカバー</translation>
        </message>
        <message>
            <source>Cover down</source>
            <translation>下へカバー</translation>
        </message>
        <message>
            <source>Uncover left</source>
            <translation>左へめくる</translation>
        </message>
        <message>
            <source>Uncover right</source>
            <translation>右へめくる</translation>
        </message>
        <message>
            <source>Uncover up</source>
            <translation>上へめくる</translation>
        </message>
        <message>
            <source>Uncover down</source>
            <translation>下へめくる</translation>
        </message>
        <message>
            <source>Zoom in</source>
            <translation>ズームイン</translation>
        </message>
        <message>
            <source>Zoom out</source>
            <translation>ズームアウト</translation>
        </message>
        <message>
            <source>Latent morph</source>
            <translation>潜在モーフ</translation>
        </message>
    </context>
</TS>