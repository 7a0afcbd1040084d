import Testing
import KafkaShell

@Suite("Korean particles and display widths")
struct KoreanParticleTests {
    @Test("을/를, 이/가, 은/는, 으로/로 follow the word's last sound")
    func particles() {
        #expect(KoreanParticle.eulReul.after("'committing'") == "'committing'을")
        #expect(KoreanParticle.eulReul.after("'tiny'") == "'tiny'를")
        #expect(KoreanParticle.eulReul.after("토픽") == "토픽을")
        #expect(KoreanParticle.eulReul.after("파티션") == "파티션을")
        #expect(KoreanParticle.eulReul.after("브로커") == "브로커를")
        #expect(KoreanParticle.iGa.after("그룹") == "그룹이")
        #expect(KoreanParticle.iGa.after("컨슈머") == "컨슈머가")
        #expect(KoreanParticle.eunNeun.after("orders") == "orders는")
        #expect(KoreanParticle.eunNeun.after("billing") == "billing은")
        #expect(KoreanParticle.euroRo.after("레슨") == "레슨으로")
        #expect(KoreanParticle.euroRo.after("파일") == "파일로", "a final ㄹ takes 로")
        #expect(KoreanParticle.euroRo.after("c1") == "c1로", "1 is read 일")
        #expect(KoreanParticle.eulReul.after("c3") == "c3을", "3 is read 삼")
        #expect(KoreanParticle.eulReul.after("p2") == "p2를", "2 is read 이")
    }

    @Test("Hangul takes two terminal columns; combining marks none")
    func widths() {
        #expect(DisplayWidth.of("orders") == 6)
        #expect(DisplayWidth.of("토픽") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        let table = Table(["ID", "제목"])
        var filled = table
        filled.add(["a", "토픽, 파티션"])
        filled.add(["bb", "x"])
        let lines = filled.render()
        #expect(lines == ["ID  제목", "a   토픽, 파티션", "bb  x"])
    }
}
