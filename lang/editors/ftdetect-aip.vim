" Vim filetype detection for .aip policies: copy to ~/.vim/ftdetect/aip.vim
" (Neovim: ~/.config/nvim/ftdetect/aip.vim), with aip.vim in ~/.vim/syntax/.
au BufRead,BufNewFile *.aip set filetype=aip
