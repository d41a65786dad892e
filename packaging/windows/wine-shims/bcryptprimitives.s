# bcryptprimitives.dll for the Wine prefix of `make windows-test` (never shipped).
# Windows 10 and later have it; Wine 8 does not, and Rust programs (cryptography's _rust.pyd) import
# its ProcessPrng, Windows' system random generator. This one asks the same generator through
# bcrypt.dll, which Wine has: BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG),
# in pieces of at most 1 GiB because its length is 32 bits. Built by packaging/windows/wine.py.
#
#   BOOL ProcessPrng(PBYTE data, SIZE_T size)       TRUE when every byte was filled
        .intel_syntax noprefix
        .text
        .globl ProcessPrng
ProcessPrng:
        push    rbx
        push    rsi
        push    rdi
        sub     rsp, 32                 # shadow space; the stack stays 16-byte aligned
        mov     rbx, rcx                # next byte to fill
        mov     rsi, rdx                # bytes left
next:
        test    rsi, rsi
        jz      filled
        mov     rdi, rsi
        mov     eax, 0x40000000
        cmp     rdi, rax
        cmova   rdi, rax                # this piece
        xor     ecx, ecx
        mov     rdx, rbx
        mov     r8d, edi
        mov     r9d, 2                  # BCRYPT_USE_SYSTEM_PREFERRED_RNG
        call    [rip + __imp_BCryptGenRandom]
        test    eax, eax                # NTSTATUS 0 = success
        jnz     failed
        add     rbx, rdi
        sub     rsi, rdi
        jmp     next
filled:
        mov     eax, 1
        jmp     done
failed:
        xor     eax, eax
done:
        add     rsp, 32
        pop     rdi
        pop     rsi
        pop     rbx
        ret
