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
            <location filename="../../lecture_studio/gui/export_dialog.py" line="77" />
            <source>&amp;Word-highlight captions (.words.vtt)</source>
            <translation>話している単語に下線を引く字幕 (.words.vtt)(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="81" />
            <source>Also write captions that underline each word as it is spoken. Needs spoken narration: recorded narration has no word timings.</source>
            <translation>話している単語に下線を引く字幕も書き出します。音声合成のナレーションが必要です(録音したナレーションには単語ごとの時刻がありません)。</translation>
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
            <location filename="../../lecture_studio/gui/export_dialog.py" line="149" />
            <source>Export the video as</source>
            <translation>動画の保存先</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="151" />
            <source>MP4 video (*.mp4)</source>
            <translation>MP4 動画 (*.mp4)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="164" />
            <source>The file name must end in .mp4; name the video NAME.mp4.</source>
            <translation>ファイル名は .mp4 で終わる必要があります。「名前.mp4」としてください。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="187" />
            <source>Starting the export...</source>
            <translation>書き出しを開始しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="216" />
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="216" />
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="229" />
            <source>{0} - about {1} left</source>
            <translation>{0} - 残り約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="237" />
            <source>Exported {0} ({1}).</source>
            <translation>{0} を書き出しました ({1})。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="252" />
            <source>Export cancelled; no video was written.</source>
            <translation>書き出しをキャンセルしました。動画は作成されていません。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/export_dialog.py" line="258" />
            <source>Cancelling...</source>
            <translation>キャンセルしています...</translation>
        </message>
    </context>
    <context>
        <name>ImageryGeneration</name>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="68" />
            <source>Abstract shapes (no AI model)</source>
            <translation>抽象的な図形 (AIモデルなし)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="69" />
            <source>Diffusion model (local)</source>
            <translation>拡散モデル (ローカル)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="131" />
            <source>Another image variant</source>
            <translation>画像の別バリエーション</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="131" />
            <source>Generate images</source>
            <translation>画像を生成</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="229" />
            <source>You can use “{0}” instead: it needs no model.</source>
            <translation>代わりに「{0}」を使えます。モデルは不要です。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="235" />
            <source>Use “{0}”</source>
            <translation>「{0}」を使う</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="442" />
            <source>Use abstract shapes</source>
            <translation>抽象的な図形を使う</translation>
        </message>
    </context>
    <context>
        <name>ImageryPanel</name>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="41" />
            <source>Not shown</source>
            <translation>表示しない</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="42" />
            <source>Background behind the text</source>
            <translation>テキストの背景</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="43" />
            <source>Beside the text</source>
            <translation>テキストの横</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="44" />
            <source>In the picture placeholder</source>
            <translation>図のプレースホルダー内</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="61" />
            <source>Lecture imagery</source>
            <translation>講義の画像</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="70" />
            <source>Pick a style, or type your own words</source>
            <translation>スタイルを選ぶか、自分の言葉で入力してください</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="79" />
            <source>A Hugging Face id, a diffusers folder or a .safetensors file</source>
            <translation>Hugging Face の ID、diffusers フォルダー、または .safetensors ファイル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="82" />
            <source>St&amp;yle:</source>
            <translation>スタイル(&amp;Y):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="83" />
            <source>&amp;Generator:</source>
            <translation>生成方法(&amp;G):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="84" />
            <source>&amp;Model:</source>
            <translation>モデル(&amp;M):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="86" />
            <source>This slide's image</source>
            <translation>このスライドの画像</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="91" />
            <source>Image prompt</source>
            <translation>画像プロンプト</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="94" />
            <source>The common image models understand English best: edit the prompt into English for better pictures.</source>
            <translation>一般的な画像モデルは英語を最もよく理解します。より良い画像のためにプロンプトを英語に書き換えてください。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="112" />
            <source>Image variants</source>
            <translation>画像のバリエーション</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="113" />
            <source>No image yet: use Imagery &gt; Generate Images.</source>
            <translation>まだ画像がありません。[画像] &gt; [画像を生成] を使ってください。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="122" />
            <source>&amp;Prompt:</source>
            <translation>プロンプト(&amp;P):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="126" />
            <source>P&amp;lacement:</source>
            <translation>配置(&amp;L):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="127" />
            <source>&amp;Variants:</source>
            <translation>バリエーション(&amp;V):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="261" />
            <source>Edit image prompt</source>
            <translation>画像プロンプトの編集</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="269" />
            <source>Change image placement</source>
            <translation>画像の配置の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="274" />
            <source>Pick image variant</source>
            <translation>画像バリエーションの選択</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="279" />
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="286" />
            <source>Change image style</source>
            <translation>画像スタイルの変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="293" />
            <source>Change image generator</source>
            <translation>画像の生成方法の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_panel.py" line="299" />
            <source>Change image model</source>
            <translation>画像モデルの変更</translation>
        </message>
    </context>
    <context>
        <name>ImageryProgressDialog</name>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="252" />
            <source>Generating images</source>
            <translation>画像を生成中</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="284" />
            <source>Drawing with “{0}”...</source>
            <translation>「{0}」で描画中...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="290" />
            <source>Slide {0}</source>
            <translation>スライド {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="293" />
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="314" />
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="321" />
            <source>{0} of {1} slides got a new image; the others were up to date.</source>
            <translation>{1} 枚中 {0} 枚のスライドに新しい画像を付けました。ほかは最新でした。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="328" />
            <source>Cancelled: {0} of {1} slides got a new image.</source>
            <translation>キャンセルしました: {1} 枚中 {0} 枚のスライドに新しい画像を付けました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/imagery_generation.py" line="339" />
            <source>Cancelling...</source>
            <translation>キャンセル中...</translation>
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
        <message>
            <source>This slide has no script to try the voice on; write a script for it first.</source>
            <translation>このスライドには声を試す原稿がありません。先に原稿を書いてください。</translation>
        </message>
        <message>
            <source>Preparing the voice...</source>
            <translation>声を準備しています...</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="108" />
            <source>&lt;b&gt;Slide properties&lt;/b&gt;</source>
            <translation>&lt;b&gt;スライドのプロパティ&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="158" />
            <source>&amp;New Lecture from Outline...</source>
            <translation>アウトラインから新しい講義(&amp;N)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="161" />
            <source>&amp;Import Deck or Outline...</source>
            <translation>スライドまたはアウトラインを読み込む(&amp;I)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="163" />
            <source>&amp;Open...</source>
            <translation>開く(&amp;O)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="164" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="166" />
            <source>Save &amp;As...</source>
            <translation>名前を付けて保存(&amp;A)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="169" />
            <source>&amp;Export Video...</source>
            <translation>動画を書き出す(&amp;E)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="171" />
            <source>&amp;Quit</source>
            <translation>終了(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="174" />
            <source>&amp;Undo</source>
            <translation>元に戻す(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="176" />
            <source>&amp;Redo</source>
            <translation>やり直す(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="179" />
            <source>&amp;Insert Slide</source>
            <translation>スライドを挿入(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="182" />
            <source>&amp;Duplicate Slide</source>
            <translation>スライドを複製(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="185" />
            <source>De&amp;lete Slide</source>
            <translation>スライドを削除(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="188" />
            <source>&amp;Hide Slide</source>
            <translation>スライドを非表示(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="192" />
            <source>Move Slide &amp;Up</source>
            <translation>スライドを上へ移動(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="195" />
            <source>Move Slide Do&amp;wn</source>
            <translation>スライドを下へ移動(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="197" />
            <source>&amp;Listen</source>
            <translation>聞く(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="199" />
            <source>&amp;Preview from This Slide</source>
            <translation>このスライドからプレビュー(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="201" />
            <source>&amp;Stop</source>
            <translation>停止(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="203" />
            <source>&amp;Record Narration</source>
            <translation>ナレーションを録音(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="207" />
            <source>Edit &amp;Script</source>
            <translation>原稿を編集(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="210" />
            <source>Go to Slide &amp;List</source>
            <translation>スライド一覧へ移動(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="213" />
            <source>&amp;Generate Images</source>
            <translation>画像を生成(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="216" />
            <source>Generate Image for &amp;This Slide</source>
            <translation>このスライドの画像を生成(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="222" />
            <source>&amp;Another Variant</source>
            <translation>別のバリエーション(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="240" />
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="242" />
            <source>Open &amp;Recent</source>
            <translation>最近使ったファイル(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="251" />
            <source>&amp;Edit</source>
            <translation>編集(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="261" />
            <source>&amp;Play</source>
            <translation>再生(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="266" />
            <source>&amp;Imagery</source>
            <translation>画像(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="275" />
            <source>&amp;Settings</source>
            <translation>設定(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="276" />
            <source>&amp;Language</source>
            <translation>言語(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="279" />
            <source>System Language</source>
            <translation>システムの言語</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="290" />
            <source>Main</source>
            <translation>メイン</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="306" />
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="338" />
            <location filename="../../lecture_studio/gui/main_window.py" line="747" />
            <source>Untitled lecture</source>
            <translation>無題の講義</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="370" />
            <source>1 slide, about {1}</source>
            <translation>スライド 1 枚、約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="370" />
            <source>{0} slides, about {1}</source>
            <translation>スライド {0} 枚、約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="393" />
            <source>Drawing slides...</source>
            <translation>スライドを描画しています...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="396" />
            <source>Import a deck or an outline to begin (Ctrl+I).</source>
            <translation>スライドまたはアウトラインを読み込んで始めましょう (Ctrl+I)。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="399" />
            <location filename="../../lecture_studio/gui/main_window.py" line="645" />
            <source>Move slide</source>
            <translation>スライドの移動</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="456" />
            <source>Opening {0}</source>
            <translation>{0} を開いています</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="459" />
            <source>Cancelled.</source>
            <translation>キャンセルしました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="475" />
            <source>Imported {0}.</source>
            <translation>{0} を読み込みました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="477" />
            <source>Opened {0}.</source>
            <translation>{0} を開きました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="507" />
            <source>Drawing slides</source>
            <translation>スライドを描画中</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="529" />
            <source>New lecture from an outline</source>
            <translation>アウトラインから新しい講義</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="530" />
            <source>Outlines (*.md *.markdown *.txt)</source>
            <translation>アウトライン (*.md *.markdown *.txt)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="537" />
            <source>Import a deck or an outline</source>
            <translation>スライドまたはアウトラインの読み込み</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="538" />
            <source>Decks and outlines ({0})</source>
            <translation>スライドとアウトライン ({0})</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="544" />
            <source>Open a lecture</source>
            <translation>講義を開く</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="545" />
            <source>Lecture Studio projects (project.json);;All files (*)</source>
            <translation>Lecture Studio プロジェクト (project.json);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="557" />
            <source>No recent files</source>
            <translation>最近使ったファイルはありません</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="560" />
            <source>&amp;Clear List</source>
            <translation>一覧を消去(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="573" />
            <source>Save the lecture as</source>
            <translation>講義の保存先</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="575" />
            <source>Lecture Studio projects (*.lecture)</source>
            <translation>Lecture Studio プロジェクト (*.lecture)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="594" />
            <source>Saved {0}.</source>
            <translation>{0} を保存しました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="611" />
            <source>New slide</source>
            <translation>新しいスライド</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="612" />
            <source>Insert slide</source>
            <translation>スライドの挿入</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="618" />
            <source>Duplicate slide</source>
            <translation>スライドの複製</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="627" />
            <source>Delete slide</source>
            <translation>スライドの削除</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="636" />
            <source>Hide slide</source>
            <translation>スライドを非表示</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="636" />
            <source>Show slide</source>
            <translation>スライドを表示</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="682" />
            <source>No sound device was found, so the preview plays without sound.</source>
            <translation>サウンドデバイスが見つからないため、プレビューは音声なしで再生されます。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="708" />
            <source>Unsaved changes</source>
            <translation>未保存の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="709" />
            <source>The lecture has unsaved changes. Save them first?</source>
            <translation>講義に未保存の変更があります。先に保存しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="738" />
            <source>The lecture was restored.</source>
            <translation>講義を復元しました。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="741" />
            <source>The autosave could not be restored: {0}</source>
            <translation>自動保存を復元できませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="750" />
            <source>Restore the lecture?</source>
            <translation>講義を復元しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="752" />
            <source>Lecture Studio did not close properly last time. Restore the autosaved copy of “{0}”?</source>
            <translation>前回 Lecture Studio は正しく終了しませんでした。自動保存された「{0}」を復元しますか?</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/main_window.py" line="763" />
            <source>The language changes the next time Lecture Studio starts.</source>
            <translation>言語は次回 Lecture Studio を起動したときに変わります。</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>ヘルプ(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About Lecture Studio</source>
            <translation>Lecture Studio について(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Plugins...</source>
            <translation>プラグイン(&amp;P)...</translation>
        </message>
        <message>
            <source>&amp;Lecture</source>
            <translation>講義(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Properties...</source>
            <translation>プロパティ(&amp;P)...</translation>
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
            <location filename="../../lecture_studio/gui/narration_editor.py" line="173" />
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
            <location filename="../../lecture_studio/gui/narration_editor.py" line="162" />
            <source>1 word, about {1} spoken</source>
            <translation>1 語、読み上げ約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="164" />
            <source>{0} words, about {1} spoken</source>
            <translation>{0} 語、読み上げ約 {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="169" />
            <source>Narration: your recording</source>
            <translation>ナレーション: 録音</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="170" />
            <source>&amp;Record again</source>
            <translation>録り直す(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="172" />
            <source>Narration: text-to-speech</source>
            <translation>ナレーション: 音声合成</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="175" />
            <source>Stop &amp;recording</source>
            <translation>録音を停止(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="194" />
            <source>Record narration</source>
            <translation>ナレーションの録音</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/narration_editor.py" line="211" />
            <source>Use text-to-speech</source>
            <translation>音声合成を使う</translation>
        </message>
    </context>
    <context>
        <name>PropertiesPanel</name>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="42" />
            <source>Follow the narration</source>
            <translation>ナレーションに合わせる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="43" />
            <source>Fixed length</source>
            <translation>固定の長さ</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="48" />
            <location filename="../../lecture_studio/gui/properties.py" line="60" />
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="52" />
            <location filename="../../lecture_studio/gui/properties.py" line="70" />
            <location filename="../../lecture_studio/gui/properties.py" line="76" />
            <source>Lecture default</source>
            <translation>講義の既定値</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="65" />
            <source>Still</source>
            <translation>静止</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="66" />
            <source>Ken Burns (slow pan and zoom)</source>
            <translation>ケン・バーンズ (ゆっくりパンとズーム)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="81" />
            <source>Text-to-speech</source>
            <translation>音声合成</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="82" />
            <source>Recorded file</source>
            <translation>録音ファイル</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="84" />
            <source>Choose &amp;file...</source>
            <translation>ファイルを選択(&amp;F)...</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="91" />
            <source>&amp;Duration:</source>
            <translation>表示時間(&amp;D):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="92" />
            <source>&amp;Seconds:</source>
            <translation>秒数(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="93" />
            <source>&amp;Transition:</source>
            <translation>切り替え効果(&amp;T):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="94" />
            <source>Transition &amp;length:</source>
            <translation>切り替えの長さ(&amp;L):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="96" />
            <source>&amp;Motion:</source>
            <translation>動き(&amp;M):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="97" />
            <source>&amp;Voice:</source>
            <translation>声(&amp;V):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="98" />
            <source>R&amp;ate:</source>
            <translation>話す速さ(&amp;A):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="99" />
            <source>Narration s&amp;ource:</source>
            <translation>ナレーションの音源(&amp;O):</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="153" />
            <source>Recording: {0}</source>
            <translation>録音: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="155" />
            <source>No recording yet</source>
            <translation>録音はまだありません</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="212" />
            <source>Change duration</source>
            <translation>表示時間の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="217" />
            <location filename="../../lecture_studio/gui/properties.py" line="223" />
            <source>Change transition</source>
            <translation>切り替え効果の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="234" />
            <source>Change motion</source>
            <translation>動きの変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="237" />
            <source>Change voice</source>
            <translation>声の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="242" />
            <source>Change speaking rate</source>
            <translation>話す速さの変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="251" />
            <source>Change narration source</source>
            <translation>ナレーション音源の変更</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="260" />
            <source>Choose a recording</source>
            <translation>録音ファイルの選択</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="262" />
            <source>Audio files ({0})</source>
            <translation>音声ファイル ({0})</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="271" />
            <source>Could not read {0}: {1}</source>
            <translation>{0} を読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/properties.py" line="276" />
            <source>Use recorded file</source>
            <translation>録音ファイルを使う</translation>
        </message>
        <message>
            <source>From the plugin {0}</source>
            <translation>プラグイン {0} から</translation>
        </message>
        <message>
            <source>Listen</source>
            <translation>聞く</translation>
        </message>
        <message>
            <source>Speak the first sentences of the script with this voice</source>
            <translation>この声で原稿の最初の数文を読み上げます</translation>
        </message>
        <message>
            <source>La&amp;nguage:</source>
            <translation>言語(&amp;N):</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>自動</translation>
        </message>
        <message>
            <source>Automatic (detected: {0})</source>
            <translation>自動 (検出: {0})</translation>
        </message>
        <message>
            <source>Change slide language</source>
            <translation>スライドの言語の変更</translation>
        </message>
        <message>
            <source>Automatic — no voice speaks {0}</source>
            <translation>自動 — {0} を話す声がありません</translation>
        </message>
        <message>
            <source>Automatic — {0}</source>
            <translation>自動 — {0}</translation>
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
        <message>
            <source>Problems: {0}</source>
            <translation>問題: {0}</translation>
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
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="177" />
            <source>Timeline</source>
            <translation>タイムライン</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="186" />
            <source>Fit</source>
            <translation>全体</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="186" />
            <source>Show the whole lecture (0)</source>
            <translation>講義全体を表示 (0)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="188" />
            <source>Zoom in (+)</source>
            <translation>拡大 (+)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="189" />
            <source>Zoom out (-)</source>
            <translation>縮小 (-)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="326" />
            <source>Lecture length: {0}</source>
            <translation>講義の長さ: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="330" />
            <source>follows its narration</source>
            <translation>ナレーションに合わせる</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="332" />
            <source>fixed</source>
            <translation>固定</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="335" />
            <source>fixed at {0} but kept longer for its narration</source>
            <translation>{0} に固定 (ナレーションが収まるよう延長)</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="338" />
            <source>Slide {0}</source>
            <translation>スライド {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="343" />
            <source>Drag the end of the slide to give it a fixed duration.</source>
            <translation>スライドの端をドラッグすると長さを固定できます。</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="574" />
            <source>{0} fixed</source>
            <translation>{0} 固定</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="681" />
            <source>Fixed: {0}</source>
            <translation>固定: {0}</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/timeline_strip.py" line="775" />
            <source>Set fixed duration</source>
            <translation>長さを固定</translation>
        </message>
    </context>
    <context>
        <name>TransitionPreview</name>
        <message>
            <location filename="../../lecture_studio/gui/transition_preview.py" line="50" />
            <source>Transition preview</source>
            <translation>トランジションのプレビュー</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/transition_preview.py" line="51" />
            <location filename="../../lecture_studio/gui/transition_preview.py" line="134" />
            <source>Click to play the transition again</source>
            <translation>クリックするとトランジションをもう一度再生します</translation>
        </message>
        <message>
            <location filename="../../lecture_studio/gui/transition_preview.py" line="131" />
            <source>Shown as a crossfade here; the morph is drawn at export.</source>
            <translation>ここではクロスフェードで表示します。モーフは書き出し時に描画されます。</translation>
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
    <context>
        <name>ImageStyles</name>
        <message>
            <source>Flat illustration</source>
            <translation>フラットなイラスト</translation>
        </message>
        <message>
            <source>Watercolor</source>
            <translation>水彩画</translation>
        </message>
        <message>
            <source>Chalkboard</source>
            <translation>黒板</translation>
        </message>
        <message>
            <source>Photo</source>
            <translation>写真</translation>
        </message>
        <message>
            <source>Isometric</source>
            <translation>アイソメトリック</translation>
        </message>
        <message>
            <source>Line art</source>
            <translation>線画</translation>
        </message>
        <message>
            <source>3d render</source>
            <translation>3D レンダー</translation>
        </message>
    </context>
    <context>
        <name>PluginsDialog</name>
        <message>
            <source>Plugins</source>
            <translation>プラグイン</translation>
        </message>
        <message>
            <source>Looking for plugins...</source>
            <translation>プラグインを探しています...</translation>
        </message>
        <message>
            <source>Plugin</source>
            <translation>プラグイン</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>バージョン</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>入手元</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状態</translation>
        </message>
        <message>
            <source>Plugins are turned off (--no-plugins); only Lecture Studio's own importers, voices, transitions and exporters are in use.</source>
            <translation>プラグインはオフです (--no-plugins)。Lecture Studio 自身の読み込み、音声、トランジション、書き出しだけを使っています。</translation>
        </message>
        <message>
            <source>  (does not exist)</source>
            <translation>  (存在しません)</translation>
        </message>
        <message>
            <source>Plugin folders searched:</source>
            <translation>探したプラグインフォルダー:</translation>
        </message>
        <message>
            <source>Why: {0}.</source>
            <translation>理由: {0}。</translation>
        </message>
        <message>
            <source>From {0}</source>
            <translation>場所: {0}</translation>
        </message>
        <message>
            <source>Loaded</source>
            <translation>読み込み済み</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>失敗</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>無効</translation>
        </message>
        <message>
            <source>Not loaded</source>
            <translation>未読み込み</translation>
        </message>
        <message>
            <source>Built in</source>
            <translation>組み込み</translation>
        </message>
        <message>
            <source>Installed package</source>
            <translation>インストール済みパッケージ</translation>
        </message>
        <message>
            <source>Plugin folder</source>
            <translation>プラグインフォルダー</translation>
        </message>
        <message>
            <source>Importers</source>
            <translation>読み込み</translation>
        </message>
        <message>
            <source>Voices</source>
            <translation>音声</translation>
        </message>
        <message>
            <source>Image generators</source>
            <translation>画像生成</translation>
        </message>
        <message>
            <source>Transitions</source>
            <translation>トランジション</translation>
        </message>
        <message>
            <source>Exporters</source>
            <translation>書き出し</translation>
        </message>
    </context>
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Lecture Studio</source>
            <translation>Lecture Studio について</translation>
        </message>
        <message>
            <source>Lecture Studio is free software under the GNU General Public License, version 3 or later. The video encoder it uses (x264, inside PyAV) is GPL and the PDF renderer (PyMuPDF) is AGPL: anyone passing the app on must pass on these rights and offer the source code.</source>
            <translation>Lecture Studio は GNU 一般公衆利用許諾書 (GPL) バージョン 3 以降のフリーソフトウェアです。使用している動画エンコーダー (PyAV に含まれる x264) は GPL、PDF レンダラー (PyMuPDF) は AGPL です。このアプリを配布する人は、これらの権利を引き継ぎ、ソースコードを提供しなければなりません。</translation>
        </message>
        <message>
            <source>This file is missing from this installation.</source>
            <translation>このファイルはこのインストールに含まれていません。</translation>
        </message>
        <message>
            <source>License</source>
            <translation>ライセンス</translation>
        </message>
        <message>
            <source>Third-party notices</source>
            <translation>サードパーティーの表示</translation>
        </message>
    </context>
    <context>
        <name>VoiceBoxes</name>
        <message>
            <source>{0} (no voice installed)</source>
            <translation>{0} (声が未インストール)</translation>
        </message>
        <message>
            <source>{0} (not installed)</source>
            <translation>{0} (未インストール)</translation>
        </message>
    </context>
    <context>
        <name>LecturePropertiesDialog</name>
        <message>
            <source>Lecture Properties</source>
            <translation>講義のプロパティ</translation>
        </message>
        <message>
            <source>Li&amp;sten</source>
            <translation>聞く(&amp;S)</translation>
        </message>
        <message>
            <source>Speak the first sentences of a slide with this voice</source>
            <translation>この声でスライドの最初の数文を読み上げます</translation>
        </message>
        <message>
            <source>The lecture's voice speaks every slide in its language. Slides in other languages, and slides with their own voice, keep theirs (see Slide properties).</source>
            <translation>講義の声は、講義の言語で書かれたすべてのスライドを読み上げます。ほかの言語のスライドや、独自の声を選んだスライドはそのままです (スライドのプロパティを参照)。</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>言語(&amp;L):</translation>
        </message>
        <message>
            <source>&amp;Voice:</source>
            <translation>声(&amp;V):</translation>
        </message>
        <message>
            <source>Automatic — the best voice for each slide's language</source>
            <translation>自動 — スライドごとに、その言語に最適な声</translation>
        </message>
        <message>
            <source>Change lecture language and voice</source>
            <translation>講義の言語と声の変更</translation>
        </message>
    </context>
    <context>
        <name>ProblemsPanel</name>
        <message>
            <source>Slide</source>
            <translation>スライド</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>問題</translation>
        </message>
        <message>
            <source>Slide problems</source>
            <translation>スライドの問題</translation>
        </message>
        <message>
            <source>Slide {0}</source>
            <translation>スライド {0}</translation>
        </message>
        <message>
            <source>No problems found in the slides.</source>
            <translation>スライドに問題は見つかりませんでした。</translation>
        </message>
    </context>
    <context>
        <name>ProblemsDock</name>
        <message>
            <source>Problems ({0})</source>
            <translation>問題 ({0})</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>問題</translation>
        </message>
        <message>
            <source>&amp;Problems</source>
            <translation>問題(&amp;P)</translation>
        </message>
    </context>
</TS>